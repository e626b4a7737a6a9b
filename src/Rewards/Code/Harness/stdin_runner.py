# Its start is paid once per completion, so it imports only C modules and ctypes: json and base64 (which bring re,
# enum and more) would cost more than half a bare interpreter start, and _signal is signal without its enums.
# The request is one field a line, the report hand-written JSON lines.
import _signal as signal, binascii, ctypes, os, resource, select, sys, time

CHUNK = 65536
SMALL_READ = 4096
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

def base64(data):
    return binascii.b2a_base64(data, newline=False).decode()

def others():
    return [name for name in os.listdir("/proc") if name.isdigit() and name != "1"]

class Runner:
    def __init__(self, fields):
        # wall seconds, output limit, the OOM control file or "-", the program, then one input a line; base64 where
        # bytes.
        self.wall = float(fields[0])
        self.limit = int(fields[1])
        self.oom_control = None if fields[2] == b"-" else fields[2].decode()
        self.program = binascii.a2b_base64(fields[3]).split(b"\0", 1)[0]  # what execve sees of it
        self.inputs = [binascii.a2b_base64(data) for data in fields[4:]]
        if os.getpid() != 1:
            # kill(-1) below reaches every process of this uid where there is no pid namespace of its own.
            raise RunnerBroken("the stdin runner is not the sandbox's pid 1")
        # PR_SET_DUMPABLE 0: a same-uid program can no longer open this process's /proc fds (the report channel)
        # or read its memory (the nonce, the other tests' inputs).
        self.libc = ctypes.CDLL(None, use_errno=True)
        if self.libc.prctl(4, 0, 0, 0, 0) != 0 or self.libc.prctl(3, 0, 0, 0, 0) != 0:
            raise RunnerBroken("the stdin runner cannot make itself undumpable")
        # Pid 1 receives from inside its namespace only the signals it handles: SIGCHLD alone, as a wake-up.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        self.wake, wake_write = os.pipe()
        os.set_blocking(self.wake, False)
        os.set_blocking(wake_write, False)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
        # POSIX message queues outlive their makers and cannot be listed without mounting mqueue: allow none.
        resource.setrlimit(resource.RLIMIT_MSGQUEUE, (0, 0))
        tmp = os.stat("/tmp")
        self.tmp_mode = tmp.st_mode & 0o7777
        self.tmp_times = (tmp.st_atime_ns, tmp.st_mtime_ns)

    def oom_kills(self):
        if self.oom_control is None:
            return None
        try:
            with open(self.oom_control) as control:
                counts = [line.split()[1] for line in control if line.startswith("oom_kill ")]
        except OSError as error:
            raise RunnerBroken("cannot read the run's OOM-kill count: %s" % error)
        return int(counts[0]) if counts else None

    def reap(self, child, status):
        while True:
            try:
                pid, code = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return status
            if pid == 0:
                return status
            if pid == child:
                status = code

    def kill_others(self, child, status):
        # kill(-1) from pid 1 reaches every other process of the namespace, a daemon that left with setsid
        # included; its orphans come back to this process to be reaped. /proc says when none is left.
        for _ in range(2000):
            status = self.reap(child, status)
            if not others():
                return status
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                pass
            time.sleep(0.001)
        raise RunnerBroken("processes outlived their test")

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
        self.kill_others(None, None)
        empty_tmp(self.tmp_mode, self.tmp_times)
        remove_ipc(self.libc)
        kills_before = self.oom_kills()
        in_read, in_write = os.pipe()
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        started = time.monotonic()
        try:
            child = os.posix_spawn(
                sys.executable, [sys.executable, "-I", "-S", "-B", "-c", self.program], os.environ,
                file_actions=[(os.POSIX_SPAWN_DUP2, in_read, 0), (os.POSIX_SPAWN_DUP2, out_write, 1),
                              (os.POSIX_SPAWN_DUP2, err_write, 2)],
                setsigdef=(signal.SIGINT, signal.SIGPIPE, signal.SIGXFSZ))
        except (OSError, ValueError) as error:
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
            status = self.reap(child, status)
        seconds = time.monotonic() - started
        status = self.kill_others(child, status)
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

def main():
    fields = sys.stdin.buffer.read().split(b"\n")[:-1]
    nonce = fields[0].decode()

    def emit(**report):
        sys.stdout.write("%s {%s}\n" % (nonce, ", ".join('"%s": %s' % (k, literal(v)) for k, v in report.items())))
        sys.stdout.flush()

    try:
        runner = Runner(fields[1:])
        emit(ready=len(runner.inputs))
        for index, data in enumerate(runner.inputs):
            emit(test=index, **runner.run(data))
    except (RunnerBroken, OSError) as error:
        emit(fatal=str(error))

main()
