# What every trusted runner inside a sandbox shares (the stdin runner, stdin_runner.py, and the assert harness's session,
# harness_session.py, are each this file followed by their own): pid 1's defences, clearing what programs leave, the
# report format and a long-lived session's main loop (serve_session). It imports only C modules and ctypes, as every
# module imported here is in every process forked from the runner.
FRESH_MAIN = dict(globals())  # __main__ as `python3 -c` makes it, before the runner's own names

import _signal as signal, binascii, ctypes, gc, io, os, resource, select, sys, time

CHUNK = 65536
IPC_RMID = 0

class RunnerBroken(Exception):
    pass

def empty_tmp(mode, times):
    # chdir-relative and iterative: a program can nest directories deeper than PATH_MAX, the recursion limit or the
    # open-file limit allow, and can take its own permissions away from them (it owns them, so this process can
    # give them back).
    os.chmod("/tmp", mode)
    os.chdir("/tmp")
    path = []
    while True:
        with os.scandir(".") as entries:
            listed = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
        for name in [name for name, is_dir in listed if not is_dir]:
            os.unlink(name)
        directories = [name for name, is_dir in listed if is_dir]
        if directories:
            os.chmod(directories[0], 0o700)
            os.chdir(directories[0])
            path.append(directories[0])
        elif path:
            os.chdir("..")
            os.rmdir(path.pop())
        else:
            break
    for name in os.listxattr("/tmp"):
        if name.startswith("user."):
            os.removexattr("/tmp", name)
    os.utime("/tmp", ns=times)

def remove_ipc(libc):
    # SysV objects outlive the processes that made them; the IPC namespace is the whole batch's.
    removers = {"shm": lambda i: libc.shmctl(i, IPC_RMID, None), "msg": lambda i: libc.msgctl(i, IPC_RMID, None),
                "sem": lambda i: libc.semctl(i, 0, IPC_RMID)}
    for kind, remove in removers.items():
        try:
            with open("/proc/sysvipc/" + kind) as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            if remove(int(row.split()[1])) != 0:
                raise RunnerBroken("cannot remove a SysV %s object" % kind)

def literal(value):
    if value is None or type(value) is bool:
        return {None: "null", True: "true", False: "false"}[value]
    if type(value) in (int, float):
        return repr(value)
    return '"%s"' % "".join(c if " " <= c <= "~" and c not in '"\\' else "\\u%04x" % min(ord(c), 0xFFFD) for c in value)

def others():
    # Every process of the namespace but pid 1 and this one (a session's judge is not pid 1).
    me = str(os.getpid())
    return [name for name in os.listdir("/proc") if name.isdigit() and name not in ("1", me)]

def reap(child, status):
    while True:
        try:
            pid, code = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return status
        if pid == 0:
            return status
        if pid == child:
            status = code

def kill_others(child, status):
    # kill(-1) reaches every other process of the namespace but pid 1, a daemon that left with setsid included;
    # its orphans come back to this process (pid 1, or a judge that is a subreaper) to be reaped. /proc says when
    # none is left.
    for _ in range(2000):
        status = reap(child, status)
        if not others():
            return status
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        time.sleep(0.001)
    raise RunnerBroken("processes outlived their test")

def oom_kills(control):
    if control is None:
        return None
    try:
        with open(control) as lines:
            counts = [line.split()[1] for line in lines if line.startswith("oom_kill ")]
    except OSError as error:
        raise RunnerBroken("cannot read the run's OOM-kill count: %s" % error)
    return int(counts[0]) if counts else None

def secure():
    """What pid 1 does before anything else exists; returns libc."""
    if os.getpid() != 1:
        # kill(-1) reaches every process of this uid where there is no pid namespace of its own.
        raise RunnerBroken("the stdin runner is not the sandbox's pid 1")
    # PR_SET_DUMPABLE 0: a same-uid program can no longer open this process's /proc fds (the report channel) or
    # read its memory (the nonce, the other tests' inputs); a judge forked from it inherits that.
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(4, 0, 0, 0, 0) != 0 or libc.prctl(3, 0, 0, 0, 0) != 0:
        raise RunnerBroken("the stdin runner cannot make itself undumpable")
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # POSIX message queues outlive their makers and cannot be listed without mounting mqueue: allow none.
    resource.setrlimit(resource.RLIMIT_MSGQUEUE, (0, 0))
    return libc

def tmp_state():
    # Taken once, before any program: what /tmp is given back after each test.
    tmp = os.stat("/tmp")
    return tmp.st_mode & 0o7777, (tmp.st_atime_ns, tmp.st_mtime_ns)

class Report:
    def __init__(self, nonce):
        self.nonce = nonce

    def emit(self, lead="", **report):
        sys.stdout.write("%s%s {%s}\n" % (
            lead, self.nonce, ", ".join('"%s": %s' % (k, literal(v)) for k, v in report.items())))
        sys.stdout.flush()

def read_line(fd):
    # Byte by byte, so that nothing past the line is taken from the descriptor: the next reader is another process.
    line = bytearray()
    while True:
        byte = os.read(fd, 1)
        if not byte:
            return None if not line else bytes(line)
        if byte == b"\n":
            return bytes(line)
        line += byte
        if len(line) > 64:
            raise RunnerBroken("a session header line is too long")

def read_request(fd):
    """One completion's request, framed as its length in bytes on a line of its own; None at the end of input."""
    header = read_line(fd)
    if header is None:
        return None
    if not header.isdigit():
        raise RunnerBroken("a malformed request header")
    size, chunks = int(header), []
    while size:
        chunk = os.read(fd, min(size, CHUNK))
        if not chunk:
            raise RunnerBroken("the request ended early")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)

# How a judge ends: JUDGED, having left nothing behind (see leave_clean); NO_MORE at the end of the input; BROKEN.
JUDGED, NO_MORE, BROKEN = 0, 3, 4

def become_subreaper(libc):
    # PR_SET_CHILD_SUBREAPER: the orphans of a judge's programs come back to it, not to pid 1.
    if libc.prctl(36, 1, 0, 0, 0) != 0:
        raise RunnerBroken("the judge cannot become a subreaper")

def leave_clean(libc, tmp):
    """A judge's last act: nothing of its completion left running, in /tmp or in IPC; JUDGED, or BROKEN when that
    failed (pid 1 then clears in a fork of its own)."""
    try:
        kill_others(None, None)
        empty_tmp(*tmp)
        remove_ipc(libc)
        return JUDGED
    except (RunnerBroken, OSError):
        return BROKEN

def clear_in_fork(libc, tmp):
    # Where a judge did not leave clean (it was killed, say), what its completion left in /tmp and IPC is cleared by a
    # process of its own, so that not even the names a program chose enter pid 1's memory, from which the next judge
    # is forked.
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            empty_tmp(*tmp)
            remove_ipc(libc)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RunnerBroken("cannot clear /tmp and IPC after a completion")

def serve_session(judge_next):
    """A long-lived sandbox judging one completion after another. Pid 1 never reads a completion: each is read,
    run and reported by a judge forked afresh from it (judge_next(libc, tmp), which returns JUDGED, NO_MORE at the
    end of the input or BROKEN), so no program's process (forked from its own completion's judge) holds another
    completion's program, inputs or outputs, even in freed memory. After each judge pid 1
    kills whatever is left and reports, under the session's nonce, how the judge ended, the OOM kills meanwhile and
    its own CPU seconds (the host starts a new session before pid 1 nears its CPU limit)."""
    header = (read_line(0), read_line(0))
    if None in header:
        return
    session = Report(header[0].decode())
    control = None if header[1] == b"-" else header[1].decode()
    try:
        libc = secure()
        tmp = tmp_state()
    except (RunnerBroken, OSError) as error:
        session.emit(fatal=str(error))
        return
    session.emit(session="ready")
    while True:
        try:
            before = oom_kills(control)
            judge_pid = os.fork()
            if judge_pid == 0:
                code = BROKEN
                try:
                    code = judge_next(libc, tmp)
                finally:
                    os._exit(code)
            status = None
            while status is None:
                pid, code = os.waitpid(-1, 0)
                if pid == judge_pid:
                    status = code
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == NO_MORE:
                return
            kill_others(None, None)
            if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != JUDGED:
                clear_in_fork(libc, tmp)
            after = oom_kills(control)
        except (RunnerBroken, OSError) as error:
            session.emit(lead="\n", fatal=str(error))
            return
        usage = resource.getrusage(resource.RUSAGE_SELF)
        # A leading newline ends any line a killed judge left half-written.
        session.emit(
            lead="\n",
            done=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            oom=None if before is None or after is None else after > before,
            cpu=round(usage.ru_utime + usage.ru_stime, 4))
