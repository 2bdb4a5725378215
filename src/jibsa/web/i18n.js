// The dashboard's words, in Korean (default) and English. Data only: app.js looks them up.
export const TEXT = {
  ko: {
    title: "집사", login: "로그인", name: "이름", password: "비밀번호", logout: "로그아웃",
    loginFailed: "이름이나 비밀번호가 맞지 않아요.", tooMany: "시도가 너무 많아요. 잠시 뒤에 다시 해 주세요.",
    say: "말하기", sayPlaceholder: "예: 거실 불 꺼줘", scenes: "장면", timers: "타이머와 예약", noJobs: "예약이 없어요.",
    history: "기록", live: "실시간", offline: "연결 끊김", wholeHome: "집 전체", on: "켜짐", off: "꺼짐",
    notAnswering: "응답 없음", confirm: "확인", confirmUnlock: "정말 문을 열까요?", pinPrompt: "PIN을 입력하세요",
    lock: "잠그기", unlock: "열기", open: "열기", close: "닫기", start: "시작", stop: "정지", pause: "일시정지",
    dock: "충전대로", remaining: "남음", repeat: { daily: "매일", weekdays: "평일", weekends: "주말" },
    cancel: "취소", language: "English", error: "문제가 생겼어요", hours: "최근 24시간", noData: "기록이 없어요.",
    discovered: "주인의 승인을 기다리는 기기", adopt: "우리 집 기기로 등록",
  },
  en: {
    title: "jibsa", login: "Log in", name: "Name", password: "Password", logout: "Log out",
    loginFailed: "Wrong name or password.", tooMany: "Too many attempts; try again later.",
    say: "Say", sayPlaceholder: "e.g. 거실 불 꺼줘 / turn off the living room light", scenes: "Scenes",
    timers: "Timers and schedules", noJobs: "Nothing pending.", history: "History", live: "live",
    offline: "disconnected", wholeHome: "Whole home", on: "On", off: "Off", notAnswering: "Not answering",
    confirm: "Confirm", confirmUnlock: "Really unlock the door?", pinPrompt: "Enter the PIN", lock: "Lock",
    unlock: "Unlock", open: "Open", close: "Close", start: "Start", stop: "Stop", pause: "Pause", dock: "Dock",
    remaining: "left", repeat: { daily: "daily", weekdays: "weekdays", weekends: "weekends" }, cancel: "Cancel",
    language: "한국어", error: "Something went wrong", hours: "last 24 hours", noData: "No records yet.",
    discovered: "Discovered devices waiting for an owner", adopt: "Adopt",
  },
};

// Property names as people read them.
export const LABELS = {
  ko: {
    power: "전원", brightness: "밝기", color: "색", temperature: "온도", current_temperature: "현재 온도",
    mode: "모드", fan_speed: "바람", humidity: "습도", current_humidity: "현재 습도", run_state: "상태",
    remaining_time: "남은 시간", cycle: "코스", battery: "배터리", volume: "볼륨", channel: "채널", mute: "음소거",
    position: "열림", lock: "잠금", valve: "밸브", freezer_temperature: "냉동실", door: "문",
    air_quality: "공기질", pm25: "PM2.5", co2: "CO₂", motion: "움직임",
  },
  en: {},
};

// Values as people read them.
export const WORDS = {
  ko: {
    locked: "잠김", unlocked: "열림", open: "열림", closed: "닫힘", idle: "대기", running: "동작 중",
    paused: "일시정지", finished: "완료", docked: "충전 중", cleaning: "청소 중", returning: "복귀 중",
    cool: "냉방", heat: "난방", dry: "제습", fan: "송풍", auto: "자동", low: "약", mid: "중", high: "강",
    good: "좋음", moderate: "보통", bad: "나쁨", very_bad: "매우 나쁨", sleep: "취침", turbo: "터보", away: "외출",
    hot_water: "온수", white: "흰색", warm_white: "전구색", red: "빨강", orange: "주황", yellow: "노랑",
    green: "초록", blue: "파랑", purple: "보라", pink: "분홍",
  },
  en: {},
};
