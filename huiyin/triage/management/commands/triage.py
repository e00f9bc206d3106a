"""`manage.py triage train|evaluate|clusters|reindex|hot`: the command side of smart help.

* ``train [--data CSV]`` trains a category model from the enterprise's own decided cases (or from a
  CSV shaped ``id,title,body,category``), prints its evaluation on a held-out split and activates it.
  It is a training run like those of the category models page, from a CSV too (it takes the next
  version and may put its model in use, like any training): refused while another is under way, shown
  on the page while it trains (requested by the system), and recorded with its outcome;
* ``evaluate --train CSV --data CSV`` trains on one CSV and evaluates on another: per-class precision,
  recall and F1, then ``macro_f1=0.xxxx`` and ``ms_per_message=N.NN`` as the last two lines;
* ``clusters --data CSV --out FILE.csv`` groups messages (a CSV shaped like hotspot_messages.csv)
  and writes ``id,cluster`` for every message, printing the top 5 clusters;
* ``reindex [--all]`` fills the similarity index for cases registered before triage (or all cases) and
  recounts the words of the indexed cases (their document frequencies, `WordFrequency`);
* ``hot`` runs the hot-issue job now.
"""

from __future__ import annotations

import io
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Exists, OuterRef

from huiyin.cases.models import Case
from huiyin.core.errors import DomainError
from huiyin.nlp.cli import CsvError, clusters_csv, evaluate_csv, read_labelled
from huiyin.nlp.similar import LSH_VERSION
from huiyin.triage.models import CaseFingerprint
from huiyin.triage.selectors import training_examples
from huiyin.triage.services import (
    all_word_frequencies,
    cases_reindex,
    hot_issues_refresh,
    model_train_as_run,
    similarity_index_vacuum,
    word_frequencies_refresh,
)
from huiyin.triage.states import ModelSource


class Command(BaseCommand):
    help = "Smart triage: train, evaluate, clusters, reindex, hot."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{train,evaluate,clusters,reindex,hot}")
        train = sub.add_parser("train", help="train and activate a category model")
        train.add_argument("--data", help="CSV id,title,body,category (default: the enterprise's own decided cases)")
        train.add_argument("--no-activate", action="store_true", help="record the model without activating it")
        train.add_argument("--heldout", type=float, default=0.2, help="share of examples held out (default 0.2)")
        train.add_argument("--limit", type=int, default=200_000, help="newest decided cases to use at most")
        train.add_argument("--min-examples", type=int, default=None, help="refuse to train on fewer examples")
        evaluate = sub.add_parser("evaluate", help="train on one CSV, evaluate on another")
        evaluate.add_argument("--train", required=True, dest="train_csv")
        evaluate.add_argument("--data", required=True)
        clusters = sub.add_parser("clusters", help="cluster the messages of a CSV, write id,cluster")
        clusters.add_argument("--data", required=True)
        clusters.add_argument("--out", required=True)
        reindex = sub.add_parser("reindex", help="fill the similarity index")
        reindex.add_argument("--all", action="store_true", help="re-index every case, not only the missing ones")
        reindex.add_argument("--batch", type=int, default=1000)
        sub.add_parser("hot", help="run the hot-issue job now")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        try:
            getattr(self, f"do_{action}")(options)
        except CsvError as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _say(self, message: str) -> None:
        self.stderr.write(message)

    def do_train(self, options: dict) -> None:
        if options["data"]:
            rows = read_labelled(options["data"])
            source = ModelSource.CSV
            self._say(f"{len(rows)} labelled rows read from {options['data']}")
        else:
            rows = training_examples(limit=options["limit"])
            source = ModelSource.HISTORY
            self._say(f"{len(rows)} decided cases of this enterprise")
        try:
            result = model_train_as_run(
                examples=rows,
                source=source,
                activate=not options["no_activate"],
                heldout=options["heldout"],
                progress=self._say,
                min_examples=options["min_examples"],
            )
        except KeyboardInterrupt:
            raise CommandError("Interrupted: the training run is recorded as stopped.", returncode=130) from None
        row = result.trained_model
        if result.report_text:
            self.stdout.write(f"Held-out evaluation ({row.n_heldout} cases):")
            self.stdout.write(result.report_text)
        else:
            self.stdout.write("No held-out evaluation: too few examples per category.")
        if result.keywords_macro_f1 is not None:
            self.stdout.write(f"keyword_rules_macro_f1={result.keywords_macro_f1:.4f}")
        state = "active" if row.active else "not activated"
        self.stdout.write(f"model v{row.version} ({row.n_examples} examples, {len(row.classes)} categories): {state}")

    def do_evaluate(self, options: dict) -> None:
        buf = io.StringIO()
        evaluate_csv(options["train_csv"], options["data"], out=buf)
        self.stdout.write(buf.getvalue(), ending="")

    def do_clusters(self, options: dict) -> None:
        buf = io.StringIO()
        clusters_csv(options["data"], options["out"], out=buf)
        self.stdout.write(buf.getvalue(), ending="")

    def do_reindex(self, options: dict) -> None:
        qs = Case.objects.all()
        if not options["all"]:
            current = CaseFingerprint.objects.filter(case_id=OuterRef("pk"), lsh_version=LSH_VERSION)
            qs = qs.filter(~Exists(current))
        started, total, last = time.perf_counter(), 0, 0
        batch = max(1, options["batch"])
        # Rare-word keys need to know how rare each word is: count what is indexed already before indexing more.
        word_frequencies_refresh()
        frequency = all_word_frequencies()
        while True:
            chunk = list(qs.filter(pk__gt=last).order_by("pk").only("pk", "subject", "content")[:batch])
            if not chunk:
                break
            total += cases_reindex(cases=chunk, batch=batch, frequency=frequency)
            last = chunk[-1].pk
            self._say(f"  {total} cases indexed ({time.perf_counter() - started:.0f} s)")
        self.stdout.write(f"{total} cases indexed in {time.perf_counter() - started:.1f} s")
        counted = word_frequencies_refresh()
        self.stdout.write(f"{counted['words']} words counted over {counted['cases']} cases ({counted['seconds']} s)")
        if total and similarity_index_vacuum():
            self.stdout.write("key table vacuumed")

    def do_hot(self, options: dict) -> None:
        run = hot_issues_refresh()
        self.stdout.write(f"{run.n_cases} cases, {run.n_clusters} hot issues ({run.seconds:.1f} s)")
