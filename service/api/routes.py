"""The routes: each turns HTTP into a `Checker.check` call (or a termbase lookup) and back; no scoring
logic here. Scoring routes are plain `def`, so FastAPI runs them in its thread pool, off the event loop,
where the dynamic batchers coalesce concurrent calls into shared model batches.

No `from __future__ import annotations` here: the request models are built per app (they carry its
limits), and FastAPI must see them as objects, not as names to look up in the module."""


from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from service.api.lifecycle import ModelState
from service.api.schemas import BatchResponse, GlossaryPage, ScoreOptions, request_models
from service.api.security import require_api_key
from service.checker import Checker
from service.config import Settings
from service.report import Report

SAMPLES = Path(__file__).resolve().parents[2] / "corpora" / "samples"


def _checker(request: Request) -> Checker:
    state: ModelState = request.app.state.models
    return state.checker()


ReadyChecker = Annotated[Checker, Depends(_checker)]


def _sample_examples() -> dict[str, Any]:
    """OpenAPI examples from the shipped sample story (first sentences), when the samples are there."""
    try:
        fr, mt, ref = ((SAMPLES / f"court-case.{n}.txt").read_text(encoding="utf-8").split("\n\n")[0].strip()
                       for n in ("fr", "mt.en", "ref.en"))
    except OSError:
        return {}
    return {
        "sample": {"summary": "The shipped court-case sample (first paragraph)",
                   "value": {"source": fr, "translation": mt, "reference": ref}},
        "glossary": {"summary": "With a request termbase entry and only some checks",
                     "value": {"source": "Le parquet de Nanterre a ouvert une information judiciaire.",
                               "translation": "The Nanterre floor opened a judicial information.",
                               "glossary": [{"id": "information-judiciaire", "french": ["information judiciaire"],
                                             "approved": ["judicial investigation"], "severity": "major"}],
                               "options": {"checks": ["numbers", "names"]}}},
    }


def _score(checker: Checker, document: Any) -> Report:
    options: ScoreOptions = document.options
    return checker.check(source=document.source, translation=document.translation, reference=document.reference,
                         checks=options.check_names(checker.check_names), glossary=document.glossary,
                         term_policy=options.term_policy, context=document.context)


def build_router(settings: Settings) -> APIRouter:
    """The routes, with request models carrying this server's limits."""
    score_model, batch_model = request_models(settings)
    examples = _sample_examples()
    router = APIRouter()
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(require_api_key)])

    @v1.post("/score", response_model=Report, summary="Score one translated document")
    def score(checker: ReadyChecker, request: Request,
              document: Annotated[score_model, Body(openapi_examples=examples)]) -> Report:  # type: ignore[valid-type]
        """The report of one document: segments, flags with spans, scores, verdict and signature."""
        with request.app.state.models.admission.admit():
            report = _score(checker, document)
        request.app.state.metrics.documents.inc()
        return report

    batch_examples = {k: {"summary": v["summary"], "value": {"documents": [v["value"]]}} for k, v in examples.items()}

    @v1.post("/score/batch", response_model=BatchResponse, summary="Score many documents")
    def score_batch(checker: ReadyChecker, request: Request,
                    batch: Annotated[batch_model, Body(openapi_examples=batch_examples)]  # type: ignore[valid-type]
                    ) -> BatchResponse:
        """Reports in the order of the documents."""
        with request.app.state.models.admission.admit():
            reports = [_score(checker, document) for document in batch.documents]  # type: ignore[attr-defined]
        request.app.state.metrics.documents.inc(len(reports))
        return BatchResponse(reports=reports)

    @v1.get("/glossary", response_model=GlossaryPage, summary="Concepts of the termbase in use")
    def glossary(request: Request,
                 domain: Annotated[str | None, Query(max_length=40, description="Only this domain.")] = None,
                 q: Annotated[str | None, Query(max_length=200, description="Text in a French or English term "
                                                "(case-insensitive substring).")] = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 offset: Annotated[int, Query(ge=0)] = 0) -> GlossaryPage:
        """Built-in concepts (and the server's own termbase files), filtered by domain or text."""
        needle = q.casefold() if q else None
        found = [c for c in request.app.state.glossary
                 if (domain is None or c.domain == domain)
                 and (needle is None or any(needle in t.casefold() for t in (*c.french, *c.approved, c.id)))]
        return GlossaryPage(total=len(found), concepts=found[offset: offset + limit])

    @router.get("/healthz", summary="The process is alive")
    def healthz() -> dict[str, str]:
        """Always 200 while the process answers."""
        return {"status": "alive"}

    @router.get("/readyz", summary="Models loaded and warmed", responses={503: {"description": "Not ready yet"}})
    def readyz(request: Request) -> JSONResponse:
        """200 with the signature once the models are loaded and warmed, 503 before (or if loading failed)."""
        state: ModelState = request.app.state.models
        if state.ready.is_set():
            return JSONResponse({"status": "ready", "signature": state.checker().signature})
        body = {"status": "failed", "detail": state.error} if state.error else {"status": "loading"}
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    def metrics(request: Request) -> Response:
        """Requests, latencies, model batch sizes, queue depth and model time."""
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    router.include_router(v1)
    return router

