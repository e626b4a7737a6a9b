# The stdin runner, after session.py: run as a batch (one completion on stdin) or a session (`session`: one
# completion after another, see serve_session). A batch's start is paid once per completion, so it imports only C
# modules and ctypes: json and base64 (which bring re, enum and more) would cost more than half a bare interpreter
# start, and _signal is signal without its enums.
# The request is one field a line, the report hand-written JSON lines. Each test's program runs in a fork of this
# process, not in an interpreter of its own (whose start would cost more than the rest of a test): the child is made
# to look like `python3 -I -S -B -c program` where a program can tell (see run_program).

SMALL_READ = 4096

def base64(data):
    return binascii.b2a_base64(data, newline=False).decode()

def run_program(program, stdin, stdout, stderr, libc):
    """The forked child: becomes the test's program and never returns into the runner."""
    status = 1
    try:
        # The runner's objects out of the collector's reach: a collection would otherwise write to every one of them
        # and so copy the whole inherited heap.
        gc.freeze()
        # Signals as a fresh interpreter has them: SIGINT raises KeyboardInterrupt, SIGPIPE and SIGXFSZ stay
        # ignored (inherited from this interpreter's own start), no wake-up fd, SIGCHLD default.
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.dup2(stdin, 0)
        os.dup2(stdout, 1)
        os.dup2(stderr, 2)
        # The report channel (this process's own stdout), the wake pipe and the other ends of the test's pipes: the
        # program holds none of them.
        os.closerange(3, max(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 256))
        # Dumpable again, as a process started with execve is: /proc/self belongs to the program's uid (it writes its
        # own oom_score_adj, say). Its memory is the runner's at the fork — the nonce and the other tests' inputs
        # among it, references dropped by the caller — but that gives it nothing: it holds no descriptor to the
        # report channel, pid 1 stays undumpable so its /proc fds cannot be opened, and the expected outputs never
        # enter the sandbox.
        libc.prctl(4, 1, 0, 0, 0)
        streams = []
        for fd, mode, name, runners in ((0, "r", "<stdin>", sys.stdin), (1, "w", "<stdout>", sys.stdout),
                                         (2, "w", "<stderr>", sys.stderr)):
            # As CPython's create_stdio: buffered, closefd off, "\n" newlines, line buffering for a tty or stderr;
            # the encoding and error handler the locale gave this interpreter's own (under C.UTF-8: utf-8,
            # surrogateescape, stderr backslashreplace).
            buffer = io.open(fd, mode + "b", -1, closefd=False)
            buffer.raw.name = name
            stream = io.TextIOWrapper(
                buffer, runners.encoding, runners.errors, "\n", fd == 2 or buffer.raw.isatty())
            stream.mode = mode
            streams.append(stream)
        sys.stdin, sys.stdout, sys.stderr = sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams
        sys.argv = ["-c"]
        main = type(sys)("__main__")
        main.__dict__.update(FRESH_MAIN)
        sys.modules["__main__"] = main
        del streams, stream, buffer
        try:
            code = compile(program.decode("utf-8", "surrogateescape"), "<string>", "exec", dont_inherit=True)
        except BaseException as error:
            # As the interpreter reports a program that does not compile: the error alone, no traceback, status 1.
            sys.excepthook(type(error), error, None)
            flush_std()
            return
        del program
        status = run_main(code, main)
    finally:
        os._exit(status)

def run_main(code, main):
    """Runs the program and ends as Py_RunMain would: the exit status, then the interpreter's finalization."""
    interrupted = False
    try:
        exec(code, main.__dict__)
        status = 0
    except SystemExit as exit:
        status = exit_status(exit.code)
    except BaseException as error:
        interrupted = isinstance(error, KeyboardInterrupt)
        # The traceback starts at the program's own frame, as the interpreter prints it.
        sys.excepthook(type(error), error, error.__traceback__.tb_next)
        status = 1
    finally:
        del code
    try:
        # Py_FinalizeEx: wait for non-daemon threads, run atexit, flush the standard streams (a failure is 120).
        if "threading" in sys.modules:
            sys.modules["threading"]._shutdown()
    except SystemExit as exit:
        status = exit_status(exit.code)
    except BaseException as error:
        sys.excepthook(type(error), error, error.__traceback__)
    import atexit
    atexit._run_exitfuncs()
    if not flush_std():
        status = 120
    # Then the program's objects go, flushing files it never closed (os.fdopen(1, "w") and the like).
    try:
        for name in [name for name in main.__dict__ if name != "__builtins__"]:
            del main.__dict__[name]
        gc.collect()
    except BaseException:
        pass
    if not flush_std():
        status = 120
    if interrupted:
        # An uncaught KeyboardInterrupt ends the interpreter by SIGINT.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        status = 128 + signal.SIGINT
    return status

def exit_status(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF if -(1 << 63) <= code < (1 << 63) else 0xFF
    try:
        sys.stderr.write(str(code) + "\n")
    except BaseException:
        pass
    return 1

def flush_std():
    ok = True
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.closed:
                stream.flush()
        except BaseException as error:
            if stream is sys.stdout:
                try:
                    sys.stderr.write("Exception ignored in: %r\n%s: %s\n" % (stream, type(error).__name__, error))
                except BaseException:
                    pass
            ok = False
    return ok

class Runner:
    def __init__(self, fields, report, libc, tmp):
        self.report = report
        # wall seconds, output limit, the OOM control file or "-", the program, then one input a line; base64 where
        # bytes.
        self.wall = float(fields[0])
        self.limit = int(fields[1])
        self.oom_control = None if fields[2] == b"-" else fields[2].decode()
        self.program = binascii.a2b_base64(fields[3]).split(b"\0", 1)[0]  # what execve sees of it
        self.inputs = [binascii.a2b_base64(data) for data in fields[4:]]
        self.libc = libc
        self.tmp_mode, self.tmp_times = tmp
        # SIGCHLD as a wake-up (a batch's pid 1 receives from inside its namespace only the signals it handles; a
        # session's judge can be killed by its programs, which costs them their remaining tests).
        self.wake, wake_write = os.pipe()
        os.set_blocking(self.wake, False)
        os.set_blocking(wake_write, False)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)

    def forget(self):
        # In a test's child: what it has no use for, reachable no more from the frames below its own.
        self.inputs.clear()
        self.report.nonce = None
        self.__dict__.clear()

    def oom_kills(self):
        return oom_kills(self.oom_control)

    def read(self, fd, captured, poller):
        data = os.read(fd, CHUNK)
        if not data:
            poller.unregister(fd)
            return False
        captured[fd] += data
        if len(captured[fd]) > self.limit:
            del captured[fd][self.limit:]
            return True
        if len(data) < SMALL_READ:
            # A program writing a byte at a time must not spend this process's own CPU limit for it.
            time.sleep(0.001)
        return False

    def drain_wake(self):
        try:
            while os.read(self.wake, CHUNK):
                pass
        except BlockingIOError:
            pass

    def drain(self, fd, captured, until):
        os.set_blocking(fd, False)
        while len(captured[fd]) <= self.limit:
            try:
                data = os.read(fd, CHUNK)
            except BlockingIOError:
                left = until - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    break
                continue
            if not data:
                break
            captured[fd] += data
        if len(captured[fd]) > self.limit:
            del captured[fd][self.limit:]
            return True
        return False

    def run(self, data):
        kill_others(None, None)
        empty_tmp(self.tmp_mode, self.tmp_times)
        remove_ipc(self.libc)
        kills_before = self.oom_kills()
        in_read, in_write = os.pipe()
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        started = time.monotonic()
        try:
            # This process is single-threaded, so a fork is safe; the child never returns from run_program.
            child = os.fork()
            if child == 0:
                try:
                    program, libc = self.program, self.libc
                    self.forget()
                    run_program(program, in_read, out_write, err_write, libc)
                finally:
                    os._exit(1)
        except OSError as error:
            raise RunnerBroken("cannot start the program: %s" % error)
        finally:
            for fd in (in_read, out_write, err_write):
                os.close(fd)

        captured = {out_read: bytearray(), err_read: bytearray()}
        poller = select.poll()
        for fd in (out_read, err_read, self.wake):
            poller.register(fd, select.POLLIN)
        pending = memoryview(data)
        if pending:
            os.set_blocking(in_write, False)
            poller.register(in_write, select.POLLOUT)
        else:
            os.close(in_write)
            in_write = None
        status, killed = None, None
        while status is None and killed is None:
            left = started + self.wall - time.monotonic()
            if left <= 0:
                killed = "wall"
                break
            for fd, _ in poller.poll(max(1, int(left * 1000) + 1)):
                if fd == self.wake:
                    self.drain_wake()
                elif fd == in_write:
                    try:
                        pending = pending[os.write(in_write, pending[:CHUNK]):]
                    except BlockingIOError:
                        continue
                    except OSError:
                        pending = pending[:0]  # the program closed its input: its choice
                    if not pending:
                        poller.unregister(in_write)
                        os.close(in_write)
                        in_write = None
                elif self.read(fd, captured, poller):
                    killed = "output"
            status = reap(child, status)
        seconds = time.monotonic() - started
        status = kill_others(child, status)
        if status is None:
            raise RunnerBroken("the program's exit status was lost")
        if in_write is not None:
            os.close(in_write)
        # Every writer is dead now, so what is left in the pipes ends; the bound only covers a write end still in
        # flight in a dead process's socket until the kernel collects it.
        until = time.monotonic() + 1
        for fd in (out_read, err_read):
            if self.drain(fd, captured, until):
                killed = killed or "output"
            os.close(fd)
        kills_after = self.oom_kills()

        lines = [line.strip() for line in bytes(captured[err_read]).split(b"\n") if line.strip()]
        return {
            "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "killed": killed,
            "oom": None if kills_before is None or kills_after is None else kills_after > kills_before,
            "stdout": base64(captured[out_read]),
            "stderr": base64(lines[-1][:1200] if lines else b""),
            "seconds": round(seconds, 4),
        }

def judge(fields, libc, tmp):
    """Runs one completion's tests, reporting each on stdout under the completion's nonce."""
    report = Report(fields[0].decode())
    try:
        runner = Runner(fields[1:], report, libc, tmp)
        del fields[:]
        report.emit(ready=len(runner.inputs))
        for index, data in enumerate(runner.inputs):
            report.emit(test=index, **runner.run(data))
    except (RunnerBroken, OSError) as error:
        report.emit(fatal=str(error))

def main():
    fields = sys.stdin.buffer.read().split(b"\n")[:-1]
    try:
        libc = secure()
    except (RunnerBroken, OSError) as error:
        Report(fields[0].decode()).emit(fatal=str(error))
        return
    judge(fields, libc, tmp_state())

def judge_next(libc, tmp):
    """A session's judge: forked from a pid 1 that has never held a completion, it reads one request, becomes the
    subreaper of everything its tests start, judges the completion and ends, taking the completion's data with it."""
    try:
        request = read_request(0)
        if request is None:
            return NO_MORE
        become_subreaper(libc)
    except (RunnerBroken, OSError):
        return BROKEN
    fields = request.split(b"\n")[:-1]
    del request
    judge(fields, libc, tmp)
    return leave_clean(libc, tmp)

if sys.argv[1:] == ["session"]:
    serve_session(judge_next)
else:
    main()
