// Page parts from other modules (a microphone button, a weather strip, a notification bell, a rules list).
// Each entry names an ES module in this folder that exports `mount(container, ctx)` and the slot it fills:
// "mic" (beside the text box), "weather" (near the top), "bell" (in the header), "rules" (automations), "energy" (this month's electricity), "discovered" (devices awaiting an owner's adoption), "matter" (adding a Matter device), "voices" (enrolled voices: who is speaking).
// `ctx` is described in docs/dashboard.md. A module that fails to load or mount is logged and skipped.

export const EXTENSIONS = [
  { module: "./voice.js", slot: "mic" },
  { module: "./weather.js", slot: "weather" },
  { module: "./energy.js", slot: "energy" },
  { module: "./rules.js", slot: "rules" },
  { module: "./discovered.js", slot: "discovered" },
  { module: "./matter.js", slot: "matter" },
  { module: "./voices.js", slot: "voices" },
];

export async function mountExtensions(ctx, extensions = EXTENSIONS) {
  await Promise.all(extensions.map(async ({ module, slot }) => {
    const container = document.querySelector(`[data-slot="${slot}"]`);
    try {
      if (!container) throw new Error(`no slot "${slot}" on the page`);
      const part = await import(module);
      await part.mount(container, ctx);
      container.classList.add("mounted");
    } catch (error) {
      console.error(`extension ${module}:`, error);
      ctx.reportProblem(module, error);
    }
  }));
}
