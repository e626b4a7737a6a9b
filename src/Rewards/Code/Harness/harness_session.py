# The assert harness as a long-lived session, after session.py, codec.py, server.py and harness.py: pid 1 has imported
# what the harness needs once, and forks a judge per completion (serve_session). Each request is two frames: first
# the program alone, then the nonce and the test code. The judge reads the first, forks the program's process, and
# only then reads the second, so the program's process never holds the test code (its expected values) or the nonce.

class Forked:
    """The program's process as a fork of the judge, with the parts of Popen's interface the harness uses."""

    def __init__(self, pid):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired("the program", timeout)
            time.sleep(0.002)
        return self.returncode

    def kill(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

def fork_server(libc):
    """The program's process, set up as the batch's interpreter of its own is: standard input /dev/null, standard
    output on the sandbox's standard error, no descriptor but those and its two pipes, dumpable, default signals."""
    request_read, request_write = os.pipe()
    reply_read, reply_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            gc.freeze()
            null = os.open("/dev/null", os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(2, 1)
            kept = sorted({request_read, reply_write})
            below = 3
            for fd in kept + [max(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 256)]:
                os.closerange(below, fd)
                below = fd + 1
            libc.prctl(4, 1, 0, 0, 0)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            serve(request_read, reply_write)
            status = 0
        finally:
            os._exit(status)
    os.close(request_read)
    os.close(reply_write)
    return Forked(pid), request_write, reply_read

def judge_assertions(libc, tmp):
    try:
        first = read_request(0)
        if first is None:
            return NO_MORE
        become_subreaper(libc)
        source = json.loads(first)["program"]
        del first
        server = fork_server(libc)
        second = read_request(0)
        if second is None:
            return BROKEN
        request = json.loads(second)
        nonce, tests = request["nonce"], request["tests"]
    except (RunnerBroken, OSError, ValueError, KeyError, TypeError):
        return BROKEN
    harness(nonce, tests, source, lambda: server)
    return leave_clean(libc, tmp)

serve_session(judge_assertions)
