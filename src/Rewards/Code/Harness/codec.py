import json, os, sys

CONTAINERS = {list: "list", tuple: "tuple", set: "set", frozenset: "frozenset"}
BUILDERS = {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}

def encode(value, depth=0):
    if depth > 64:
        raise ValueError("value nested too deeply")
    kind = type(value)
    if value is None:
        return ["none"]
    if kind is bool:
        return ["bool", value]
    if kind is int:
        return ["int", value]
    if kind is float:
        return ["float", repr(value)]
    if kind is str:
        return ["str", value]
    if kind is bytes:
        return ["bytes", value.hex()]
    if kind in CONTAINERS:
        return [CONTAINERS[kind], [encode(item, depth + 1) for item in value]]
    if kind is dict:
        return ["dict", [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]]
    raise TypeError("unsupported value of type " + kind.__name__)

def decode(node, depth=0):
    if depth > 64 or type(node) is not list or not node or type(node[0]) is not str:
        raise ValueError("malformed value")
    tag = node[0]
    if tag == "none" and len(node) == 1:
        return None
    if len(node) != 2:
        raise ValueError("malformed value")
    payload = node[1]
    if tag == "bool" and type(payload) is bool:
        return payload
    if tag == "int" and type(payload) is int:
        return payload
    if tag == "float" and type(payload) is str:
        return float(payload)
    if tag == "str" and type(payload) is str:
        return payload
    if tag == "bytes" and type(payload) is str:
        return bytes.fromhex(payload)
    if tag in BUILDERS and type(payload) is list:
        return BUILDERS[tag](decode(item, depth + 1) for item in payload)
    if tag == "dict" and type(payload) is list and all(type(p) is list and len(p) == 2 for p in payload):
        return {decode(k, depth + 1): decode(v, depth + 1) for k, v in payload}
    raise ValueError("malformed value")
