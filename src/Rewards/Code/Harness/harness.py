import ast, builtins, ctypes, subprocess, time

MAX_REPLY = 16 * 1024 * 1024

class ProgramFailed(Exception):
    def __init__(self, verdict, detail):
        super().__init__(detail)
        self.verdict = verdict
        self.detail = detail

class ProgramGone(ProgramFailed):
    pass

class HarnessBroken(Exception):
    pass

def strict_eq(a, b):
    if type(a) is not type(b):
        return False
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(strict_eq(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return a.keys() == b.keys() and all(strict_eq(a[k], b[k]) for k in a)
    return a == b

class StrictCompare(ast.NodeTransformer):
    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            call = ast.Call(func=ast.Name(id="__strict_eq__", ctx=ast.Load()),
                            args=[node.left, node.comparators[0]], keywords=[])
            result = call if isinstance(node.ops[0], ast.Eq) else ast.UnaryOp(op=ast.Not(), operand=call)
            return ast.copy_location(result, node)
        return node

class StrictAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        node.test = StrictCompare().visit(node.test)
        return node

def plan(source):
    tree = ast.parse(source, "<tests>")
    labels = [ast.get_source_segment(source, node) or type(node).__name__ for node in tree.body]
    tree = StrictAsserts().visit(tree)
    steps, functions = [], []
    for node, label in zip(tree.body, labels):
        module = ast.fix_missing_locations(ast.Module(body=[node], type_ignores=[]))
        code = compile(module, "<tests>", "exec")
        if isinstance(node, ast.Assert):
            steps.append(("test", label, code))
        else:
            steps.append(("setup", label, code))
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                functions.append(node.name)
    for name in functions:
        steps.append(("test", name + "()", compile(name + "()", "<tests>", "exec")))
    return steps

def popen_server(server):
    """Starts the program's process as an interpreter of its own running the server script (a batch's way)."""
    request_read, request_write = os.pipe()
    reply_read, reply_write = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-B", "-c", server, str(request_read), str(reply_write)],
            stdin=subprocess.DEVNULL, stdout=2, stderr=2, pass_fds=(request_read, reply_write))
    except OSError as error:
        raise HarnessBroken("cannot start the program's process: %s" % error)
    finally:
        os.close(request_read)
        os.close(reply_write)
    return process, request_write, reply_read

class Program:
    def __init__(self, source, server):
        # server: the program's process, not yet told the program, and the harness's ends of its two pipes.
        self.process, request_write, reply_read = server
        self.requests = os.fdopen(request_write, "wb")
        self.replies = os.fdopen(reply_read, "rb")
        self.gone = None
        self.calls = 0
        self.send(source)
        reply = self.receive()
        if "error" in reply:
            self.fail(error_verdict(reply), "the program failed to load: " + describe(reply))
        names = reply.get("names")
        if type(names) is not list or not all(type(n) is str and n.isidentifier() for n in names):
            self.fail("runtime-error", "malformed reply from the program")
        self.names = names

    def fail(self, verdict, detail):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.gone = ProgramGone(verdict, detail)
        raise self.gone

    def ended(self):
        try:
            status = self.process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            self.fail("runtime-error", "the program closed its reply channel")
        if status == -24:
            self.fail("time-limit", "CPU time limit")
        if status == -9:
            self.fail("killed", "killed (SIGKILL)")
        if status < 0:
            self.fail("runtime-error", "killed by signal %d" % -status)
        self.fail("runtime-error", "the program exited with code %d" % status)

    def send(self, message):
        try:
            self.requests.write(json.dumps(message).encode() + b"\n")
            self.requests.flush()
        except OSError:
            self.ended()

    def receive(self):
        line = self.replies.readline(MAX_REPLY)
        if not line:
            self.ended()
        if not line.endswith(b"\n"):
            self.fail("runtime-error", "oversized reply from the program")
        try:
            reply = json.loads(line)
        except (ValueError, RecursionError):
            self.fail("runtime-error", "malformed reply from the program")
        if type(reply) is not dict:
            self.fail("runtime-error", "malformed reply from the program")
        return reply

    def call(self, name, args, kwargs):
        if self.gone is not None:
            raise self.gone
        self.calls += 1
        self.send({"id": self.calls, "name": name,
                   "args": [encode(a) for a in args],
                   "kwargs": {k: encode(v) for k, v in kwargs.items()}})
        reply = self.receive()
        if reply.get("id") != self.calls:
            self.fail("runtime-error", "reply out of order from the program")
        if "error" in reply:
            raise ProgramFailed(error_verdict(reply), describe(reply))
        if "value" not in reply:
            raise ProgramFailed("wrong-answer", "%s returned an unsupported value" % name)
        try:
            return decode(reply["value"])
        except (ValueError, TypeError, RecursionError):
            raise ProgramFailed("wrong-answer", "%s returned an unreadable value" % name)

def describe(reply):
    return "%s: %s" % (str(reply.get("error"))[:60], str(reply.get("message"))[:300])

def error_verdict(reply):
    return "memory-limit" if reply.get("error") == "MemoryError" else "runtime-error"

def proxy(program, name):
    def call(*args, **kwargs):
        return program.call(name, args, kwargs)
    call.__name__ = name
    return call

def run(code, label, env):
    try:
        exec(code, env)
        return "accepted", ""
    except AssertionError:
        return "wrong-answer", "failed: " + label
    except ProgramFailed as failure:
        return failure.verdict, failure.detail
    except Exception as error:
        return "wrong-answer", "%s in the test: %s" % (type(error).__name__, error)

def harness(nonce, tests, source, start_server):
    """Reports each test of the test code against the program on stdout under the nonce; start_server() starts the
    program's process (see Program)."""

    def emit(**fields):
        sys.stdout.write(nonce + " " + json.dumps(fields) + "\n")
        sys.stdout.flush()

    try:
        steps = plan(tests)
    except SyntaxError as error:
        emit(fatal="the test code does not compile: %s" % error)
        return
    emit(count=sum(1 for kind, _, _ in steps if kind == "test"))
    env = {"__name__": "__tests__", "__builtins__": builtins, "__strict_eq__": strict_eq}
    failure = None
    try:
        program = Program(source, start_server())
        for name in program.names:
            env[name] = proxy(program, name)
    except ProgramFailed as error:
        failure = (error.verdict, error.detail)
    except HarnessBroken as error:
        emit(fatal=str(error))
        return
    index = 0
    for kind, label, code in steps:
        verdict, detail = failure if failure is not None else run(code, label, env)
        if kind == "test":
            emit(test=index, verdict=verdict, detail=detail[:300])
            index += 1
        elif verdict != "accepted" and failure is None:
            failure = (verdict, "test setup failed: " + detail)
    emit(done=True)

def main():
    """A batch: the request (nonce, program, test code, server script) on stdin, in a sandbox of its own."""
    request = json.loads(sys.stdin.buffer.read())
    # PR_SET_DUMPABLE 0: a same-uid process can no longer open this process's /proc fds or memory.
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(4, 0, 0, 0, 0) != 0 or libc.prctl(3, 0, 0, 0, 0) != 0:
        sys.stdout.write(request["nonce"] + " " + json.dumps({"fatal": "the harness cannot make itself undumpable"}) + "\n")
        return
    harness(request["nonce"], request["tests"], request["program"], lambda: popen_server(request["server"]))
