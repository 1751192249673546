import { useEffect, useState } from "preact/hooks";
import { answerQuestion, waitingQuestions } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import { ago } from "./words.js";
import type { Comment } from "./types.js";

type Waiting = Awaited<ReturnType<typeof waitingQuestions>>["items"][number];

/** Questions of Q&A stories the newsroom has not answered yet, oldest first; answering one publishes a staff reply. */
export function Questions({ params }: { params: URLSearchParams }) {
  const [items, setItems] = useState<Waiting[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [said, setSaid] = useState("");
  const storyId = params.get("story") ?? undefined;

  const load = (cursor?: string) =>
    waitingQuestions(desk, { storyId, cursor }).then(
      (page) => {
        setItems((prev) => (cursor && prev ? [...prev, ...page.items] : page.items));
        setNext(page.nextCursor);
      },
      (e: ApiError) => setError(e.message),
    );
  useEffect(() => void load(), [storyId]);

  const answer = async (w: Waiting, body: string) => {
    setError("");
    try {
      await answerQuestion(desk, w.question.storyId, w.question.id, body);
      setItems((list) => list && list.filter((i) => i.question.id !== w.question.id));
      setSaid(`Answered ${w.question.author.displayName}'s question on ${w.storyTitle}.`);
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  return (
    <section aria-labelledby="questions-title">
      <h1 id="questions-title">Questions</h1>
      <p class="muted">
        Readers' questions on Q&amp;A stories that nobody in the newsroom has answered yet, oldest first.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="sr-only" aria-live="polite">
        {said}
      </p>
      {!items ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <div class="cards">
          {items.map((w) => (
            <QuestionCard key={w.question.id} waiting={w} onAnswer={answer} />
          ))}
          {items.length === 0 && <p class="empty">Every question has an answer.</p>}
          {next && (
            <button type="button" onClick={() => load(next)}>
              Load more
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function QuestionCard({
  waiting,
  onAnswer,
}: {
  waiting: Waiting;
  onAnswer: (w: Waiting, body: string) => Promise<void>;
}) {
  const { question } = waiting;
  const [body, setBody] = useState("");
  const votes = question.reactions.like ?? 0;
  return (
    <article class="card question" aria-label={`Question from ${question.author.displayName}`}>
      <header>
        <strong>
          <a href={`${waiting.storyUrl}#comment-${question.id}`} target="_blank" rel="noopener noreferrer">
            {waiting.storyTitle}
          </a>
        </strong>
        <span class="muted">
          {question.author.displayName} · {ago(question.createdAt)} · {votes === 1 ? "1 upvote" : `${votes} upvotes`}
        </span>
      </header>
      <div class="body reader" dangerouslySetInnerHTML={{ __html: question.bodyHtml }} />
      <form
        class="decide"
        onSubmit={(e) => {
          e.preventDefault();
          if (body.trim()) void onAnswer(waiting, body);
        }}
      >
        <label>
          Your answer (published as a staff reply)
          <textarea rows={3} value={body} onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={body.trim() === ""}>
            Publish answer
          </button>
        </div>
      </form>
    </article>
  );
}
