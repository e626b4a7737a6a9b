def serve(requests_fd, replies_fd):
    """The program's process: loads the program sent on requests_fd, then answers calls until its input ends."""
    requests = os.fdopen(requests_fd, "rb")
    replies = os.fdopen(replies_fd, "wb")

    def reply(**fields):
        replies.write(json.dumps(fields).encode() + b"\n")
        replies.flush()

    def describe(error):
        try:
            return type(error).__name__, str(error)[:300]
        except BaseException:
            return type(error).__name__, ""

    source = json.loads(requests.readline())
    namespace = {"__name__": "solution", "__builtins__": __builtins__}
    try:
        exec(compile(source, "<solution>", "exec"), namespace)
    except BaseException as error:
        kind, message = describe(error)
        reply(error=kind, message=message)
        return
    reply(names=[n for n, v in list(namespace.items()) if not n.startswith("_") and callable(v)])
    for line in requests:
        call = json.loads(line)
        try:
            function = namespace[call["name"]]
            args = [decode(a) for a in call["args"]]
            kwargs = {k: decode(v) for k, v in call["kwargs"].items()}
            result = function(*args, **kwargs)
        except BaseException as error:
            kind, message = describe(error)
            reply(id=call["id"], error=kind, message=message)
            continue
        try:
            value = encode(result)
        except (TypeError, ValueError, RecursionError) as error:
            reply(id=call["id"], unsupported=str(error)[:300])
            continue
        reply(id=call["id"], value=value)
