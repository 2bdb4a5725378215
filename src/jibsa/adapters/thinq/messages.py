"""What a person hears when LG's cloud lets jibsa down. Korean, in one place."""

from __future__ import annotations

ACCOUNT = "LG 계정"  # the name used when the account, not one device, did not answer
TOKEN_EXPIRED = "LG 계정 연결이 만료되었어요. 새 토큰을 설정해 주세요."
RATE_LIMITED = "LG 서버에 요청이 너무 많아요. 잠시 후 다시 해 주세요."
CLOUD_ERROR = "LG 서버에 문제가 있어요. 잠시 후 다시 해 주세요."
CLOUD_UNREACHABLE = "LG 서버에 연결할 수 없어요. 인터넷 연결을 확인해 주세요."
NOT_ANSWERING = "{name}에서 {seconds:g}초 동안 응답이 없어요."
OFFLINE = "{name}이(가) LG 서버에 연결되어 있지 않아요. 기기의 전원과 와이파이를 확인해 주세요."
REMOTE_OFF = "{name}의 원격 제어가 꺼져 있어요. 기기에서 원격 제어를 켜 주세요."
POWER_OFF = "{name}이(가) 꺼져 있어서 그 명령을 할 수 없어요."
REFUSED = "LG 서버가 {name} 명령을 받지 않았어요 ({code}: {detail})."
NOT_LINKED = "{name}은(는) 아직 LG 계정의 기기와 연결되지 않았어요."
UNSUPPORTED = "{name}은(는) LG 기기에서 그 명령을 지원하지 않아요."
