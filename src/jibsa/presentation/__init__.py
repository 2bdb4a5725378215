"""How jibsa says things to people: state words, CLI lines."""
