"""The workbook's C# kernel through jupyter_client's blocking client, as a front end drives it.

Run by tests/Lib.Tests/KernelTests.cs with Debian's /usr/bin/python3 (python3-jupyter-client), the
kernelspec installed under $JUPYTER_DATA_DIR. Usage: protocol_check.py LIB_DLL LOG_FILE
Prints one "ok: <check> (<seconds> s)" line per check; exits 1 naming the first check that fails.
"""
import sys
import time

import jupyter_client
from jupyter_client.session import Session

LIB_DLL, LOG_FILE = sys.argv[1], sys.argv[2]
KERNEL = "csharp-workbook"
started = time.monotonic()


def check(name, condition, detail=""):
    if not condition:
        print(f"FAILED: {name}: {detail}", flush=True)
        sys.exit(1)
    print(f"ok: {name} ({time.monotonic() - started:.1f} s)", flush=True)


def execute(kc, code, timeout=120, allow_stdin=False, stdin_hook=None):
    """Runs code; returns (reply content, [(msg_type, content)] of iopub messages for it, busy..idle)."""
    outputs = []
    reply = kc.execute_interactive(code, timeout=timeout, allow_stdin=allow_stdin, stdin_hook=stdin_hook,
                                   output_hook=lambda m: outputs.append((m["msg_type"], m["content"])))
    return reply["content"], outputs


def shell_reply(kc, msg_id, timeout=10):
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


log = open(LOG_FILE, "w")
km, kc = jupyter_client.manager.start_new_kernel(kernel_name=KERNEL, startup_timeout=120, stderr=log)
try:
    # kernel_info: protocol version and the language a notebook records.
    info = shell_reply(kc, kc.kernel_info())["content"]
    language = info["language_info"]
    check("kernel_info", info["status"] == "ok" and info["protocol_version"] == "5.3"
          and language["name"] == "C#" and language["pygments_lexer"] == "csharp", info)

    # heartbeat: jupyter_client pings it every second and counts the kernel dead without echoes.
    time.sleep(2.5)
    check("heartbeat", kc.hb_channel.is_alive() and kc.hb_channel.is_beating())

    # execute: every output kind, in order, between busy and idle.
    reply, out = execute(kc, 'var answer = 6 * 7;\nConsole.WriteLine($"answer {answer}");\nConsole.Error.WriteLine("careful");\n'
                             'display(HTML("<b>bold</b>"));\nvar shown = display("step 1");\nshown.Update("step 2");\nanswer + 1')
    types = [t for t, _ in out]
    check("execute: status ok", reply["status"] == "ok" and reply["execution_count"] == 1, reply)
    check("execute: busy, execute_input ... idle", types[0] == "status" and out[0][1]["execution_state"] == "busy"
          and types[1] == "execute_input" and types[-1] == "status" and out[-1][1]["execution_state"] == "idle", types)
    streams = {c["name"]: c["text"] for t, c in out if t == "stream"}
    check("execute: stream stdout and stderr", streams.get("stdout") == "answer 42\n" and streams.get("stderr") == "careful\n", streams)
    displays = [c for t, c in out if t == "display_data"]
    check("execute: display_data", displays[0]["data"] == {"text/html": "<b>bold</b>"}
          and displays[1]["data"] == {"text/plain": "step 1"}, displays)
    updates = [c for t, c in out if t == "update_display_data"]
    check("execute: update_display_data", len(updates) == 1 and updates[0]["data"] == {"text/plain": "step 2"}
          and updates[0]["transient"]["display_id"] == displays[1]["transient"]["display_id"], updates)
    results = [c for t, c in out if t == "execute_result"]
    check("execute: execute_result", len(results) == 1 and results[0]["data"] == {"text/plain": "43"}
          and results[0]["execution_count"] == 1, results)
    reply, out = execute(kc, "answer * 2")
    check("execute: state carries over", [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "84"}], out)

    # error: the exception, and the cell and line where it was thrown.
    reply, out = execute(kc, 'var a = 1;\nthrow new InvalidOperationException("boom");')
    errors = [c for t, c in out if t == "error"]
    check("error: runtime, with the cell's line", reply["status"] == "error" and len(errors) == 1
          and errors[0]["ename"] == "System.InvalidOperationException" and errors[0]["evalue"] == "boom"
          and errors[0]["traceback"][0] == "Cell In[3], line 2", errors)
    reply, out = execute(kc, 'var b = 1;\nint c = "text";')
    errors = [c for t, c in out if t == "error"]
    check("error: compile, with line and column", reply["status"] == "error" and errors[0]["ename"] == "CompilationError"
          and any("(2,9): error CS0029" in line for line in errors[0]["traceback"]), errors)

    # stop_on_error: cells queued behind a failing one are aborted, not run ("Run All" stops there).
    # The failing cell waits first, so the second is surely queued behind it even on a loaded machine.
    failing = kc.execute('System.Threading.Thread.Sleep(500);\nthrow new Exception("first");')
    queued = kc.execute("answer = 0;")
    first, second = shell_reply(kc, failing)["content"], shell_reply(kc, queued)["content"]
    reply, out = execute(kc, "answer")
    check("stop_on_error: queued cell aborted", first["status"] == "error" and second["status"] == "aborted"
          and [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "42"}], (first, second, out))

    # is_complete and complete (Roslyn).
    check("is_complete", shell_reply(kc, kc.is_complete("if (answer > 1) {"))["content"]["status"] == "incomplete"
          and shell_reply(kc, kc.is_complete("answer + 1"))["content"]["status"] == "complete")
    completion = shell_reply(kc, kc.complete("Console.WriteL", 14))["content"]
    check("complete: members after a dot", "WriteLine" in completion["matches"]
          and completion["cursor_start"] == 8 and completion["cursor_end"] == 14, completion)
    completion = shell_reply(kc, kc.complete("answ", 4))["content"]
    check("complete: an earlier cell's variable", completion["matches"][:1] == ["answer"], completion)

    # stdin: Console.ReadLine asks the front end; without allow_stdin it fails with a message.
    def answer_input(msg):
        kc.input("typed text")
    reply, out = execute(kc, "Console.ReadLine().ToUpper()", allow_stdin=True, stdin_hook=answer_input)
    check("stdin: input_request and input_reply", [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "TYPED TEXT"}], out)
    reply, out = execute(kc, "Console.ReadLine()", allow_stdin=False)
    check("stdin: refused without allow_stdin", reply["status"] == "error" and "allow_stdin" in reply["evalue"], reply)

    # interrupt: a loop polling Lib.Notebook.Interrupt.Token stops at its next step.
    execute(kc, f'#r "{LIB_DLL}"')
    msg_id = kc.execute("var steps = 0;\nvar ct = Lib.Notebook.Interrupt.Token;\n"
                        "while (true) { ct.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(10); steps++; }")
    time.sleep(1.5)
    asked = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=30)["content"]
    took = time.monotonic() - asked
    check(f"interrupt: polling loop stopped after {took:.2f} s", reply["status"] == "error"
          and reply["ename"] == "System.OperationCanceledException" and "interrupted" in reply["evalue"] and took < 2.5, reply)
    reply, out = execute(kc, "answer")
    check("interrupt: kernel usable afterwards", [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "42"}], out)

    # interrupt: a cell that ignores the token is given up on after the grace period (3 s).
    msg_id = kc.execute("System.Threading.Thread.Sleep(600_000);")
    time.sleep(1.0)
    asked = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=30)["content"]
    took = time.monotonic() - asked
    check(f"interrupt: cell ignoring the token abandoned after {took:.2f} s", reply["status"] == "error"
          and reply["ename"] == "NotebookRunner.CellAbandonedException" and "restart the kernel" in reply["evalue"]
          and 2.5 < took < 10, reply)
    reply, out = execute(kc, "answer + 100")
    check("interrupt: kernel usable after abandoning", [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "142"}], out)

    # fault: an exception on a background thread a cell started is reported, and the kernel stays up.
    reply, out = execute(kc, 'new System.Threading.Thread(() => throw new InvalidOperationException("boom on a thread")).Start();\n'
                             'System.Threading.Thread.Sleep(1000);\n"after"')
    stderr = "".join(c["text"] for t, c in out if t == "stream" and c["name"] == "stderr")
    check("fault: a background thread's exception reported, the cell finishes", reply["status"] == "ok" and "boom on a thread" in stderr
          and "kernel stays up" in stderr and [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "after"}], (reply, stderr))
    reply, out = execute(kc, "answer")
    check("fault: kernel usable after a background exception", [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "42"}], out)

    # fault: a cell printing 50 MB gets its first 2 MB and a note; the front end is not swamped.
    reply, out = execute(kc, 'for (var i = 0; i < 50; i++) Console.Write(new string(\'x\', 1_000_000));\n"printed"', timeout=300)
    stdout = "".join(c["text"] for t, c in out if t == "stream" and c["name"] == "stdout")
    check(f"fault: 50 MB printed, {len(stdout) / 1e6:.1f} MB received with a note", reply["status"] == "ok" and len(stdout) < 2_200_000
          and "output truncated" in stdout, (reply, len(stdout), stdout[-300:]))
    reply, out = execute(kc, "answer")
    check("fault: kernel usable after 50 MB of output", [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "42"}], out)

    # signatures: a message signed with another key, and an unsigned one, are dropped and logged.
    for label, key in (("bad signature", b"not-the-key"), ("unsigned message", b"")):
        forged = Session(key=key, username="intruder")
        request = forged.msg("execute_request", {"code": "answer = -1;", "silent": False, "store_history": True,
                                                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        forged.send(kc.shell_channel.socket, request)
        try:
            kc.get_shell_msg(timeout=1.5)
            check(f"signature: {label} dropped", False, "the kernel answered")
        except Exception:
            pass
    reply, out = execute(kc, "answer")
    log.flush()
    logged = open(LOG_FILE).read()
    check("signature: forged messages dropped and logged", [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "42"}]
          and "dropped a message on shell: bad signature" in logged and "dropped a message on shell: unsigned message" in logged, logged[-2000:])

    # restart: a fresh process, so earlier variables are gone.
    old_pid = km.provisioner.process.pid if getattr(km, "provisioner", None) else km.kernel.pid
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=120)
    new_pid = km.provisioner.process.pid if getattr(km, "provisioner", None) else km.kernel.pid
    reply, out = execute(kc, "answer")
    check("restart: new process, fresh state", new_pid != old_pid and reply["status"] == "error"
          and any("CS0103" in line for line in reply["traceback"]), reply)
    reply, out = execute(kc, "1 + 1")
    check("restart: executes again", [c["data"] for t, c in out if t == "execute_result"] == [{"text/plain": "2"}], out)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    log.close()
check("shutdown: the kernel process exited", not km.is_alive())
sys.stdout.flush()
# Skip interpreter teardown: jupyter_client's and pyzmq's __del__ hooks print noise once logging is gone.
import os
os._exit(0)
