using System.Security.Cryptography;
using System.Text.Json;

namespace Pipeline.Verifier.Code;

/// <summary>Runs assert-style test code against a program without trusting anything the program says.
///
/// Inside one sandbox, a trusted harness process runs the task's test code and a separate process runs the
/// program. The test code calls the program's top-level functions through proxies: arguments and results cross a
/// pipe as tagged JSON and are rebuilt by the harness as plain builtins (None, bool, int, float, str, bytes, list,
/// tuple, set, frozenset, dict), so an object whose <c>__eq__</c> is always true, a monkeypatched builtin or a
/// patched comparison in the program's process can never reach an assertion. Inside <c>assert</c> statements
/// <c>==</c> and <c>!=</c> are rewritten to a type-strict comparison (<c>True != 1</c>, <c>3.0 != 3</c>,
/// <c>(1,) != [1]</c>). The harness makes itself undumpable before the program starts, so the program (same uid,
/// no capabilities) cannot open its /proc fds or memory; it reports each test on its own stdout, which the program
/// never holds, prefixing every line with a random per-run nonce it received on stdin (defence in depth). A program
/// that exits early, prints "PASSED", kills the harness or breaks the protocol therefore only loses tests.</summary>
internal static class AssertHarness
{
    /// <summary>Value encoding shared by both processes; only the harness's decoder is trusted.</summary>
    private const string Codec = """
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

        """;

    /// <summary>The program's process: loads the program, then answers calls until its input ends.</summary>
    private const string Server = """
        def serve():
            requests = os.fdopen(int(sys.argv[1]), "rb")
            replies = os.fdopen(int(sys.argv[2]), "wb")

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

        serve()
        """;

    /// <summary>The trusted harness: reads {nonce, program, tests, server} on stdin, reports on stdout.</summary>
    private const string Harness = """
        import ast, builtins, ctypes, subprocess

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

        class Program:
            def __init__(self, source, server):
                request_read, request_write = os.pipe()
                reply_read, reply_write = os.pipe()
                try:
                    self.process = subprocess.Popen(
                        [sys.executable, "-I", "-S", "-B", "-c", server, str(request_read), str(reply_write)],
                        stdin=subprocess.DEVNULL, stdout=2, stderr=2, pass_fds=(request_read, reply_write))
                except OSError as error:
                    raise HarnessBroken("cannot start the program's process: %s" % error)
                os.close(request_read)
                os.close(reply_write)
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

        def main():
            request = json.loads(sys.stdin.buffer.read())
            nonce = request["nonce"]

            def emit(**fields):
                sys.stdout.write(nonce + " " + json.dumps(fields) + "\n")
                sys.stdout.flush()

            # PR_SET_DUMPABLE 0: a same-uid process can no longer open this process's /proc fds or memory.
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(4, 0, 0, 0, 0) != 0 or libc.prctl(3, 0, 0, 0, 0) != 0:
                emit(fatal="the harness cannot make itself undumpable")
                return
            try:
                steps = plan(request["tests"])
            except SyntaxError as error:
                emit(fatal="the test code does not compile: %s" % error)
                return
            emit(count=sum(1 for kind, _, _ in steps if kind == "test"))
            env = {"__name__": "__tests__", "__builtins__": builtins, "__strict_eq__": strict_eq}
            failure = None
            try:
                program = Program(request["program"], request["server"])
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

        main()
        """;

    /// <summary>The harness, as the program text of one sandboxed run.</summary>
    public static string Source { get; } = Codec + Harness;

    /// <summary>The standard input of that run: the nonce, the program, the test code and the server.</summary>
    public static byte[] Request(string nonce, string program, string testCode) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["nonce"] = nonce,
            ["program"] = program,
            ["tests"] = testCode,
            ["server"] = Codec + Server,
        });

    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>Turns the harness's report into one verdict per test. Tests it did not report take the verdict of
    /// how the run ended; a report that is missing, broken or fatal is a sandbox error, never a pass.</summary>
    public static IReadOnlyList<CodeTestResult> Interpret(SandboxResult run, string nonce)
    {
        int? count = null;
        string? fatal = null;
        var reported = new Dictionary<int, CodeTestResult>();
        var prefix = nonce + " ";
        foreach (var line in run.StdoutText.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line[prefix.Length..]);
                var root = doc.RootElement;
                if (root.TryGetProperty("fatal", out var why))
                {
                    fatal = why.GetString();
                }
                else if (root.TryGetProperty("count", out var n))
                {
                    count = n.GetInt32();
                }
                else if (root.TryGetProperty("test", out var test) && root.TryGetProperty("verdict", out var verdict))
                {
                    var word = verdict.GetString() ?? "";
                    var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
                    var parsed = word == "killed"
                        ? (run.MemoryLimitHit ? CodeVerdict.MemoryLimit : CodeVerdict.TimeLimit)
                        : CodeVerdictNames.FromWire(word) ?? CodeVerdict.SandboxError;
                    reported[test.GetInt32()] = new CodeTestResult(parsed, string.IsNullOrEmpty(detail) ? null : detail);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                fatal = "unreadable harness report";
            }
        }

        var ending = RunOutcome.Abnormal(run);
        if (fatal is not null || count is null)
        {
            // The harness announces the count before the program exists: without it, the program never ran.
            return [new CodeTestResult(CodeVerdict.SandboxError,
                fatal ?? "the test harness reported nothing" + (ending is { } e ? $" ({e.Detail})" : ""))];
        }
        if (count == 0)
        {
            return [new CodeTestResult(CodeVerdict.SandboxError, "the test code contains no tests")];
        }
        var missing = ending is { } end
            ? new CodeTestResult(end.Verdict, end.Detail)
            : new CodeTestResult(CodeVerdict.RuntimeError, "the test harness stopped before this test");
        return Enumerable.Range(0, count.Value)
            .Select(i => reported.TryGetValue(i, out var r) ? r : missing)
            .ToList();
    }
}
