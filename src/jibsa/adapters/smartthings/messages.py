"""What a person hears when the SmartThings cloud lets jibsa down. Korean, in one place."""

from __future__ import annotations

ACCOUNT = "SmartThings 계정"  # the name used when the account, not one device, did not answer
TOKEN_EXPIRED = "SmartThings 계정 연결이 만료되었어요. 새 토큰을 설정해 주세요."
RATE_LIMITED = "SmartThings 서버에 요청이 너무 많아요. 잠시 후 다시 해 주세요."
CLOUD_ERROR = "SmartThings 서버에 문제가 있어요. 잠시 후 다시 해 주세요."
CLOUD_UNREACHABLE = "SmartThings 서버에 연결할 수 없어요. 인터넷 연결을 확인해 주세요."
NOT_ANSWERING = "{name}에서 {seconds:g}초 동안 응답이 없어요."
GONE = "{name}을(를) SmartThings 계정에서 찾을 수 없어요."
REFUSED = "SmartThings가 {name} 명령을 받지 않았어요 ({detail})."
NOT_LINKED = "{name}은(는) 아직 SmartThings 계정의 기기와 연결되지 않았어요."
UNSUPPORTED = "{name}은(는) SmartThings에서 그 명령을 지원하지 않아요."
