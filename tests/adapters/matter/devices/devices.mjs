// Virtual Matter devices for jibsa's tests and benchmark (matter.js).
//
//   node devices.mjs --state-dir DIR [--write-paa DIR] KIND:ID:PORT:PASSCODE:DISCRIMINATOR ...
//
// KIND is light (dimmable), plug, lock or cover. One JSON line per event on stdout:
//   {"event":"ready","id","manual_code","qr_code","qr_art"}   the device is up and can be commissioned
//                                                    (qr_art: its QR code as matter.js prints it, half blocks)
//   {"event":"state","id","state":{...}}             the device's own state changed (from any side)
//   {"event":"offline"|"online","id"}                after the matching request
// Requests on stdin, one JSON line each:
//   {"id","set":{"onOff":true,"level":128,"lockState":1,"lift":0}}   a change made on the device itself
//   {"id","op":"offline"|"online"}                                   the device goes away / comes back
// --write-paa writes matter.js's public *test* PAA roots as DER files for the controller (tests only).
import { Environment, Logger, ServerNode, VendorId } from "@matter/main";
import { QrCode } from "@matter/main/types";
import { WindowCoveringServer } from "@matter/main/behaviors/window-covering";
import { DimmableLightDevice } from "@matter/main/devices/dimmable-light";
import { DoorLockDevice } from "@matter/main/devices/door-lock";
import { OnOffPlugInUnitDevice } from "@matter/main/devices/on-off-plug-in-unit";
import { WindowCoveringDevice } from "@matter/main/devices/window-covering";
import { TestCert_PAA_FFF1_Cert, TestCert_PAA_NoVID_Cert } from "@matter/main/protocol";
import { mkdirSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

Logger.level = "warn";
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const args = process.argv.slice(2);
const option = (name) => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : args.splice(i, 2)[1];
};
const storage = option("--state-dir");
const paaOut = option("--write-paa");
if (paaOut) {
    mkdirSync(paaOut, { recursive: true });
    writeFileSync(`${paaOut}/Chip-Test-PAA-NoVID-Cert.der`, Buffer.from(TestCert_PAA_NoVID_Cert));
    writeFileSync(`${paaOut}/Chip-Test-PAA-FFF1-Cert.der`, Buffer.from(TestCert_PAA_FFF1_Cert));
    if (args.length === 0) process.exit(0);
}
if (!storage) throw new Error("--state-dir DIR is required");
Environment.default.vars.set("storage.path", storage);

const Cover = WindowCoveringDevice.with(WindowCoveringServer.with("Lift", "PositionAwareLift"));
const kinds = {
    light: { type: DimmableLightDevice, product: "Virtual Light", state: { levelControl: { currentLevel: 254 } } },
    plug: { type: OnOffPlugInUnitDevice, product: "Virtual Plug", state: {} },
    lock: {
        type: DoorLockDevice,
        product: "Virtual Lock",
        state: { doorLock: { lockState: 1, lockType: 2, actuatorEnabled: true, operatingMode: 0,
                             wrongCodeEntryLimit: 5, userCodeTemporaryDisableTime: 10 } },
    },
    cover: {
        type: Cover,
        product: "Virtual Blind",
        state: { windowCovering: { type: 0, endProductType: 0, currentPositionLiftPercent100ths: 10000,
                                   targetPositionLiftPercent100ths: 10000 } },
    },
};

function ownState(endpoint) {
    const s = endpoint.state;
    const out = {};
    if (s.onOff) out.onOff = s.onOff.onOff;
    if (s.levelControl) out.level = s.levelControl.currentLevel;
    if (s.doorLock) out.lockState = s.doorLock.lockState;
    if (s.windowCovering) out.lift = s.windowCovering.currentPositionLiftPercent100ths;
    return out;
}

const devices = new Map();

async function start(spec) {
    const [kind, id, port, passcode, discriminator] = spec.split(":");
    const k = kinds[kind];
    if (!k) throw new Error(`unknown kind ${kind}`);
    const node = await ServerNode.create({
        id,
        network: { port: Number(port) },
        commissioning: { passcode: Number(passcode), discriminator: Number(discriminator) },
        productDescription: { name: `${k.product} ${id}`, deviceType: k.type.deviceType },
        basicInformation: {
            vendorName: "jibsa test", vendorId: VendorId(0xfff1), nodeLabel: `${k.product} ${id}`,
            productName: k.product, productLabel: k.product, productId: 0x8000, serialNumber: `jibsa-${id}`,
            uniqueId: `jibsa-unique-${id}`,
            hardwareVersion: 1, softwareVersion: 1,
        },
    });
    const endpoint = await node.add(k.type, { id: "main", ...k.state });
    const report = () => say({ event: "state", id, state: ownState(endpoint) });
    for (const [cluster, attribute] of [["onOff", "onOff"], ["levelControl", "currentLevel"],
                                        ["doorLock", "lockState"], ["windowCovering", "currentPositionLiftPercent100ths"]]) {
        endpoint.events[cluster]?.[`${attribute}$Changed`]?.on(report);
    }
    await node.start();
    devices.set(id, { node, endpoint });
    const { manualPairingCode, qrPairingCode } = node.state.commissioning.pairingCodes;
    say({ event: "ready", id, manual_code: manualPairingCode, qr_code: qrPairingCode, qr_art: QrCode.encode(qrPairingCode),
          commissioned: node.state.commissioning.commissioned });
    report();
}

async function handle(line) {
    const request = JSON.parse(line);
    const device = devices.get(request.id);
    if (!device) return say({ event: "error", id: request.id, error: "no such device" });
    if (request.op === "offline") {
        await device.node.cancel();
        return say({ event: "offline", id: request.id });
    }
    if (request.op === "online") {
        await device.node.start();
        return say({ event: "online", id: request.id });
    }
    const set = request.set ?? {};
    const change = {};
    if ("onOff" in set) change.onOff = { onOff: set.onOff };
    if ("level" in set) change.levelControl = { currentLevel: set.level };
    if ("lockState" in set) change.doorLock = { lockState: set.lockState };
    if ("lift" in set) change.windowCovering = { currentPositionLiftPercent100ths: set.lift,
                                                 targetPositionLiftPercent100ths: set.lift };
    await device.endpoint.set(change);
}

for (const spec of args) await start(spec);
const input = createInterface({ input: process.stdin });
let queue = Promise.resolve();  // one request at a time, in order
input.on("line", (line) => {
    queue = queue.then(() => handle(line)).catch((e) => say({ event: "error", error: String(e) }));
});
input.on("close", async () => {
    await queue;
    for (const { node } of devices.values()) await node.close();
    process.exit(0);
});
