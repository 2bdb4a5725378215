"""Issue 11's examples through the whole path on the sample home: parser, hub, simulated devices, reply."""

from __future__ import annotations

from jibsa.domain import Command, Device, DeviceType

LIGHTS = ("living_ceiling", "living_stand", "master_light", "kids_light", "study_light", "kitchen_light",
          "utility_light", "entrance_light")  # fmt: skip


async def test_a_bare_number_changes_nothing(running) -> None:
    hub = running.hub
    before = {d.id: hub.state(d.id) for d in hub.home.devices}
    turn = await running.conversation.handle("다3")
    assert turn.commands == () and turn.outcomes == ()
    assert {d.id: hub.state(d.id) for d in hub.home.devices} == before


async def test_all_the_lights_are_named_as_such(running) -> None:
    for light in LIGHTS:
        await running.hub.execute(Command("turn_on", (light,)))
    turn = await running.conversation.handle("불 다 꺼")
    assert turn.reply == "불을 모두 껐어요."
    assert all(running.hub.state(light)["power"] is False for light in LIGHTS)


async def test_a_scene_reply_names_the_scene(running) -> None:
    turn = await running.conversation.handle("취침 모드")
    assert turn.reply == "취침 모드를 실행했어요."


async def test_which_air_conditioner_is_asked_then_done(running) -> None:
    hub = running.hub
    asked = await running.conversation.handle("에어컨 켜서 23도로", session="s")
    assert asked.commands == () and asked.reply == "거실 에어컨이요, 안방 에어컨이요?"
    assert hub.state("living_ac")["power"] is False and hub.state("master_ac")["power"] is False
    done = await running.conversation.handle("거실", session="s")
    assert hub.state("living_ac")["power"] is True and hub.state("living_ac")["temperature"] == 23
    assert hub.state("master_ac")["power"] is False
    assert done.reply.count("거실 에어컨") == 2 and "안방" not in done.reply


async def test_an_unknown_room_acts_on_nothing(running) -> None:
    for light in LIGHTS:
        await running.hub.execute(Command("turn_on", (light,)))
    turn = await running.conversation.handle("불 꺼", room="nowhere")
    assert turn.commands == ()
    assert all(running.hub.state(light)["power"] is True for light in LIGHTS)


async def test_a_follow_up_survives_a_device_discovered_between_the_turns(running) -> None:
    """Discovery adds names to the parser; the session's last command ("거실 불 꺼줘") stays the one
    that "안방도" and "그거 켜줘" refer to."""
    hub = running.hub
    for light in ("living_ceiling", "living_stand", "master_light"):
        await hub.execute(Command("turn_on", (light,)))
    await running.conversation.handle("거실 불 꺼줘", session="s")
    assert hub.state("living_ceiling")["power"] is False
    hub.add_devices([Device("balcony_sensor", "베란다 온도계", DeviceType.SENSOR, measures=("temperature",))], "mqtt")
    assert hub.home.device("balcony_sensor") is not None
    also = await running.conversation.handle("안방도", session="s")
    assert hub.state("master_light")["power"] is False, also.reply
    again = await running.conversation.handle("그거 다시 켜줘", session="s")
    assert hub.state("master_light")["power"] is True, again.reply
    named = await running.conversation.handle("베란다 온도계 몇 도야?", session="t")
    assert [c.targets for c in named.commands] == [("balcony_sensor",)]


async def test_a_slip_asked_about_is_done_on_yes_in_the_same_session(running) -> None:
    hub = running.hub
    asked = await running.conversation.handle("거실 당 켜줘", session="s")
    assert asked.needs_confirmation and asked.outcomes == ()
    assert hub.state("living_ceiling")["power"] is False
    done = await running.conversation.handle("응", session="s")
    assert hub.state("living_ceiling")["power"] is True and hub.state("living_stand")["power"] is True, done.reply


async def test_a_slip_read_as_meant_is_said_in_the_reply(running) -> None:
    turn = await running.conversation.handle("거실 블 켜줘")
    assert running.hub.state("living_ceiling")["power"] is True
    assert running.hub.state("living_ac")["power"] is False and running.hub.state("living_tv")["power"] is False
    assert turn.reply.startswith("'블'을 '불'로 알아들었어요. "), turn.reply


async def test_what_is_left_on_the_running_dryer_is_said(running) -> None:
    await running.hub.execute(Command("start", ("dryer",)))
    assert running.hub.state("dryer")["run_state"] == "running"
    english = await running.conversation.handle("what is left on the dryer")
    assert "will finish in" in english.reply, english.reply
    korean = await running.conversation.handle("건조 언제 끝나?")
    assert korean.reply.startswith("건조가") and "뒤에 끝나요" in korean.reply, korean.reply


async def test_a_quick_cycle_is_started(running) -> None:
    turn = await running.conversation.handle("세탁기 쾌속 코스로 돌려줘")
    state = running.hub.state("washer")
    assert state["run_state"] == "running" and state["cycle"] == "쾌속", turn.reply
    assert "모드" not in turn.reply


async def test_brighter_says_the_brightness_the_light_has(running) -> None:
    turn = await running.conversation.handle("불 좀 밝게", room="living")
    for light in ("living_ceiling", "living_stand"):
        state = running.hub.state(light)
        if state.get("power"):
            assert f"{state['brightness']}%" in turn.reply, (turn.reply, light, state)


async def test_a_setting_already_there_is_not_said_done(running) -> None:
    await running.hub.execute(Command("turn_on", ("master_light",)))
    await running.hub.execute(Command("set", ("master_light",), {"property": "brightness", "value": 50}))
    turn = await running.conversation.handle("안방 조명 밝기 50%로 맞춰")
    assert turn.reply == "안방 조명의 밝기는 이미 50%예요.", turn.reply


async def test_too_cold_while_the_air_conditioner_cools_stops_the_cooling_not_turns_on_heating(running) -> None:
    hub = running.hub
    await hub.execute(Command("set", ("living_ac",), {"property": "temperature", "value": 24}))  # on, cooling
    await hub.execute(Command("turn_off", ("boiler",)))
    turn = await running.conversation.handle("너무 추워", room="living")
    assert [c.intent for c in turn.commands] == ["turn_off"] and turn.commands[0].targets == ("living_ac",)
    assert hub.state("living_ac")["power"] is False
    assert hub.state("boiler")["power"] is False  # the heating is left alone
    assert "에어컨" in turn.reply and "보일러" not in turn.reply


async def test_too_cold_with_the_heating_on_raises_its_target(running) -> None:
    hub = running.hub
    await hub.execute(Command("set", ("boiler",), {"property": "temperature", "value": 22}))
    turn = await running.conversation.handle("너무 추워", room="master_bedroom")
    assert [c.intent for c in turn.commands] == ["adjust"]
    assert hub.state("boiler")["temperature"] > 22


async def test_dark_with_the_light_on_makes_it_brighter(running) -> None:
    hub = running.hub
    await hub.execute(Command("set", ("living_ceiling",), {"property": "brightness", "value": 50}))
    await hub.execute(Command("turn_off", ("living_stand",)))
    turn = await running.conversation.handle("좀 어둡네", room="living")
    assert [(c.intent, c.targets) for c in turn.commands] == [("adjust", ("living_ceiling",))]
    assert hub.state("living_ceiling")["brightness"] > 50
    assert "밝기" in turn.reply


async def test_dark_with_the_lights_off_turns_them_on(running) -> None:
    hub = running.hub
    for light in ("living_ceiling", "living_stand"):
        await hub.execute(Command("turn_off", (light,)))
    await running.conversation.handle("좀 어둡네", room="living")
    assert hub.state("living_ceiling")["power"] is True and hub.state("living_stand")["power"] is True


async def test_dark_with_every_light_on_at_full_changes_nothing_and_says_so(running) -> None:
    hub = running.hub
    for light in ("living_ceiling", "living_stand"):
        await hub.execute(Command("set", (light,), {"property": "brightness", "value": 100}))
    turn = await running.conversation.handle("좀 어둡네", room="living")
    assert turn.commands == () and turn.outcomes == ()
    assert turn.reply == "거실 천장등과 거실 스탠드는 이미 가장 밝아요."
