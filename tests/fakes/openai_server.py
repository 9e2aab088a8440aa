"""A fake OpenAI-compatible HTTP server for tests: real sockets on 127.0.0.1, no internet.

The official SDK (3.x, on httpx2) is pointed at it through ``base_url`` / ``OPENAI_BASE_URL``, so
tests exercise the real client: multipart uploads, retries, ``retry-after``, error bodies. What it
serves:

- ``POST /v1/files`` (multipart, ``purpose=fine-tune``), ``GET /v1/files/{id}``;
- ``POST /v1/fine_tuning/jobs``, ``GET /v1/fine_tuning/jobs`` (list), ``GET .../{id}`` (the status
  advances one state per poll: validating_files → queued → running → succeeded, with a
  ``fine_tuned_model``), ``GET .../{id}/events`` (messages and metrics events with step,
  train_loss, valid_loss), ``GET .../{id}/checkpoints``, ``POST .../{id}/cancel``;
- ``POST /v1/chat/completions``: the answer comes from a pluggable function of the request body
  (text or vision messages alike), so the OCR ``vlm`` engine's tests can reuse this server.

Every request is recorded (:attr:`FakeOpenAI.requests`) so a test can assert what was sent, or
that nothing was. Failures are injected per route: :meth:`FakeOpenAI.fail` (any status, body and
headers, for the next N matching requests), with helpers for the cases the CLI must explain, and
the misbehaviour of careless services: :attr:`FakeOpenAI.echo_key` (a refusal that quotes the whole
key) and :meth:`FakeOpenAI.garbage` (a reply that is not JSON).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ChatFunction = Callable[[dict[str, Any]], "str | dict[str, Any]"]

STATES = ("validating_files", "queued", "running", "succeeded")
TERMINAL = ("succeeded", "failed", "cancelled")


@dataclass
class Request:
    """One request as the server saw it (the Authorization header is kept apart, as ``api_key``)."""

    method: str
    path: str
    query: str
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    api_key: str | None = None


@dataclass
class Failure:
    method: str | None
    pattern: re.Pattern[str]
    status: int
    body: dict[str, Any] | bytes  # bytes: sent as they are (a reply that is not JSON)
    headers: dict[str, str]
    times: int
    delay: float = 0.0


def error_body(message: str, *, type: str = "invalid_request_error", code: str | None = None,
               param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


def echo_chat(request: dict[str, Any]) -> str:
    """Default answer: the last user message's text, so a test sees what arrived."""
    content = request["messages"][-1]["content"]
    if isinstance(content, list):  # vision: [{"type": "text", ...}, {"type": "image_url", ...}]
        content = " ".join(part.get("text", "") for part in content if part.get("type") == "text")
    return content


class FakeOpenAI:
    """The server and its state. Use as a context manager or call :meth:`start` / :meth:`stop`."""

    def __init__(self, *, api_key: str = "sk-test-fake-key-0123456789", chat: ChatFunction = echo_chat,
                 steps: int = 3, organization: str = "org-examkit-test") -> None:
        self.api_key = api_key
        self.chat = chat
        self.steps = steps
        self.organization = organization
        #: A refused key is quoted whole in the 401 message (as careless services do), not masked.
        self.echo_key = False
        self.requests: list[Request] = []
        self.files: dict[str, dict[str, Any]] = {}
        self.file_contents: dict[str, bytes] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.failures: list[Failure] = []
        self.job_failures: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()
        self._id_lock = threading.Lock()
        self._counter = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    # -- what tests look at ------------------------------------------------------------------------
    def seen(self, method: str | None = None, path: str | None = None) -> list[Request]:
        """Recorded requests, filtered by method and a path regex (``search``)."""
        return [r for r in self.requests
                if (method is None or r.method == method) and (path is None or re.search(path, r.path))]

    @property
    def uploads(self) -> list[Request]:
        return self.seen("POST", r"^/v1/files$")

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r.json for r in self.seen("POST", r"^/v1/chat/completions$")]

    # -- injected failures -------------------------------------------------------------------------
    def fail(self, path: str, status: int, message: str = "injected failure", *, method: str | None = None,
             code: str | None = None, type: str = "invalid_request_error", headers: dict[str, str] | None = None,
             times: int = 1, delay: float = 0.0) -> None:
        """The next ``times`` requests whose path matches the regex ``path`` get this error."""
        self.failures.append(Failure(method, re.compile(path), status, error_body(message, type=type, code=code),
                                     headers or {}, times, delay))

    def garbage(self, path: str, body: bytes = b"\xff\xfe\x00\x89PNG garbage", *,
                content_type: str = "application/json", status: int = 200, times: int = 1000) -> None:
        """Requests whose path matches ``path`` get ``body`` as it is: bytes that are not JSON."""
        self.failures.append(Failure(None, re.compile(path), status, body, {"content-type": content_type}, times))

    def rate_limit(self, path: str, *, retry_after: float = 0.05, times: int = 1) -> None:
        self.fail(path, 429, "Rate limit reached for requests", type="requests", code="rate_limit_exceeded",
                  headers={"retry-after": str(retry_after)}, times=times)

    def server_error(self, path: str, *, times: int = 1) -> None:
        self.fail(path, 500, "The server had an error while processing your request.", type="server_error",
                  times=times)

    def refuse_fine_tuning(self) -> None:
        """The refusal accounts get once OpenAI has closed fine-tuning to them."""
        self.fail(r"^/v1/fine_tuning/jobs$", 403, "Fine-tuning is not available for this organization.",
                  method="POST", code="fine_tuning_not_available", times=1000)

    def reject_file(self, line: int, reason: str = "Each line must have a 'messages' key") -> None:
        """The next upload is refused the way the API refuses a malformed training file."""
        self.fail(r"^/v1/files$", 400, f"Invalid file format for fine-tuning. Line {line}: {reason}.",
                  method="POST", code="invalid_file_format", type="invalid_request_error")

    def fail_job(self, job_id_or_next: str, message: str, code: str = "invalid_training_file") -> None:
        """The job (``"next"`` = the next one created) ends ``failed`` with this error."""
        self.job_failures[job_id_or_next] = {"code": code, "message": message, "param": "training_file"}

    # -- internals ---------------------------------------------------------------------------------
    def _id(self, prefix: str) -> str:
        with self._id_lock:
            self._counter += 1
            return f"{prefix}-{self._counter:06d}"

    def _take_failure(self, method: str, path: str) -> Failure | None:
        for failure in self.failures:
            if failure.times > 0 and (failure.method in (None, method)) and failure.pattern.search(path):
                failure.times -= 1
                return failure
        return None

    def _route(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        if req.api_key != self.api_key:
            shown = (req.api_key or "")[:3] + "***" + (req.api_key or "")[-2:] if req.api_key else "none"
            if self.echo_key:
                shown = req.api_key or "none"
            return 401, error_body(f"Incorrect API key provided: {shown}.", code="invalid_api_key"), {}
        failure = self._take_failure(req.method, req.path)
        if failure is not None:
            time.sleep(failure.delay)
            return failure.status, failure.body, failure.headers
        if req.method == "POST" and req.path == "/v1/chat/completions":
            return 200, self._chat(req.json), {}  # unlocked: answers are computed in parallel
        with self._lock:
            return self._dispatch(req)

    def _dispatch(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        m, p = req.method, req.path
        if m == "POST" and p == "/v1/files":
            return self._upload(req)
        if m == "GET" and (found := re.fullmatch(r"/v1/files/([\w-]+)", p)):
            file = self.files.get(found[1])
            return (200, file, {}) if file else (404, error_body(f"No such File object: {found[1]}"), {})
        if p == "/v1/fine_tuning/jobs":
            return self._create_job(req) if m == "POST" else (200, self._page(list(reversed(self.jobs.values()))), {})
        if found := re.fullmatch(r"/v1/fine_tuning/jobs/([\w-]+)(/events|/checkpoints|/cancel)?", p):
            job = self.jobs.get(found[1])
            if job is None:
                return 404, error_body(f"Could not find fine-tune job: {found[1]}"), {}
            action = found[2]
            if action is None and m == "GET":
                return 200, self._advance(job), {}
            if action == "/events":
                return 200, self._page(list(reversed(self.events[job["id"]]))), {}
            if action == "/checkpoints":
                return 200, self._page(self._checkpoints(job)), {}
            if action == "/cancel" and m == "POST":
                if job["status"] not in TERMINAL:
                    job["status"] = "cancelled"
                    self._event(job, "Fine-tuning job cancelled")
                return 200, job, {}
        return 404, error_body(f"Unknown request URL: {m} {p}"), {}

    @staticmethod
    def _page(items: list[Any]) -> dict[str, Any]:
        return {"object": "list", "data": items, "has_more": False}

    def _upload(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        if req.form.get("purpose") != "fine-tune" or "file" not in req.files:
            return 400, error_body("purpose must be fine-tune and a file must be given", param="purpose"), {}
        name, data = req.files["file"]
        file_id = self._id("file")
        self.files[file_id] = {"id": file_id, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                               "filename": name, "purpose": "fine-tune", "status": "processed"}
        self.file_contents[file_id] = data
        return 200, self.files[file_id], {}

    def _create_job(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        body = req.json or {}
        for key in ("training_file", "validation_file"):
            if body.get(key) and body[key] not in self.files:
                return 400, error_body(f"invalid {key}: {body[key]}", param=key, code="invalid_file"), {}
        hyper = ((body.get("method") or {}).get("supervised") or {}).get("hyperparameters") or {}
        job_id = self._id("ftjob")
        self.jobs[job_id] = {
            "id": job_id, "object": "fine_tuning.job", "created_at": int(time.time()), "error": None,
            "fine_tuned_model": None, "finished_at": None, "model": body["model"],
            "hyperparameters": {k: hyper.get(k, "auto") for k in ("n_epochs", "batch_size", "learning_rate_multiplier")},
            "organization_id": self.organization, "result_files": [], "seed": body.get("seed") or 42,
            "status": "validating_files", "trained_tokens": None, "training_file": body["training_file"],
            "validation_file": body.get("validation_file"), "metadata": body.get("metadata"),
            "method": body.get("method"), "suffix": body.get("suffix"), "_polls": 0,
        }
        if "next" in self.job_failures:
            self.job_failures[job_id] = self.job_failures.pop("next")
        self.events[job_id] = []
        self._event(self.jobs[job_id], f"Created fine-tuning job: {job_id}")
        return 200, self._public(self.jobs[job_id]), {}

    def _event(self, job: dict[str, Any], message: str, data: dict[str, Any] | None = None) -> None:
        self.events[job["id"]].append({
            "id": self._id("ftevent"), "object": "fine_tuning.job.event", "created_at": int(time.time()),
            "level": "info", "message": message, "data": data or {}, "type": "metrics" if data else "message"})

    def _advance(self, job: dict[str, Any]) -> dict[str, Any]:
        """One poll, one step forward; metrics events while running."""
        if job["status"] not in TERMINAL:
            job["_polls"] += 1
            failure = self.job_failures.get(job["id"])
            if failure and job["status"] == "validating_files":
                job["status"], job["error"] = "failed", failure
                self._event(job, failure["message"])
            elif job["status"] == "running":
                step = job["_polls"] - 2
                self._event(job, f"Step {step}/{self.steps}: training loss={1.0 / step:.3f}",
                            {"step": step, "total_steps": self.steps, "train_loss": round(1.0 / step, 4),
                             "valid_loss": round(1.2 / step, 4)})
                if step >= self.steps:
                    job["status"] = "succeeded"
                    self._event(job, "The job has successfully completed")
            else:
                job["status"] = STATES[STATES.index(job["status"]) + 1]
                self._event(job, {"queued": "Files validated, job queued", "running": "Fine-tuning job started",
                                  "succeeded": "The job has successfully completed"}[job["status"]])
            if job["status"] == "succeeded":
                suffix = f"{job['suffix']}:" if job.get("suffix") else ":"
                job["fine_tuned_model"] = f"ft:{job['model']}:{self.organization}:{suffix}{job['id'][-6:]}"
                job["finished_at"] = int(time.time())
                job["trained_tokens"] = 1234
        return self._public(job)

    @staticmethod
    def _public(job: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in job.items() if not k.startswith("_") and k != "suffix"}

    def _checkpoints(self, job: dict[str, Any]) -> list[dict[str, Any]]:
        steps = [e["data"] for e in self.events[job["id"]] if e["type"] == "metrics"]
        return [{"id": f"ftckpt-{job['id'][-6:]}-{d['step']}", "object": "fine_tuning.job.checkpoint",
                 "created_at": int(time.time()), "fine_tuning_job_id": job["id"], "step_number": d["step"],
                 "fine_tuned_model_checkpoint": f"ft:{job['model']}:{self.organization}::{job['id'][-6:]}:ckpt-step-{d['step']}",
                 "metrics": {"step": d["step"], "train_loss": d["train_loss"], "valid_loss": d["valid_loss"]}}
                for d in reversed(steps)]

    def _chat(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.chat(body)
        if isinstance(answer, dict):
            return answer
        stop = body.get("stop")
        for marker in [stop] if isinstance(stop, str) else (stop or []):
            if marker in answer:  # a real server stops before the stop sequence
                answer = answer[: answer.index(marker)]
        return {
            "id": self._id("chatcmpl"), "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": answer, "refusal": None}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    form: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if filename is not None:
            files[name] = (filename, data)
        else:
            form[name] = data.decode("utf-8")
    return form, files


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stalls)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _handle(self) -> None:
            path, _, query = self.path.partition("?")
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            auth = self.headers.get("authorization") or ""
            req = Request(self.command, path, query, api_key=auth.removeprefix("Bearer ") or None)
            ctype = self.headers.get("content-type") or ""
            if ctype.startswith("multipart/form-data"):
                req.form, req.files = _parse_multipart(ctype, raw)
            elif raw:
                req.json = json.loads(raw)
            fake.requests.append(req)
            status, body, headers = fake._route(req)
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            if "content-type" not in headers:
                self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _handle

    return Handler
