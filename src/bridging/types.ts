/** One reader's rating of one comment: 1 = helpful, 0 = not helpful (values in between are allowed). */
export interface Rating {
  readerId: string;
  commentId: string;
  value: number;
}

/** The fitted parameters of one counted reader. */
export interface ReaderScore {
  intercept: number;
  factor: number;
  /** Ratings this reader gave that entered the fit. */
  ratingCount: number;
  /** 0..1: history ramp × sock-puppet share; 1 for an established, unique reader. */
  weight: number;
}

/** The fitted parameters of one scored comment. */
export interface CommentScore {
  intercept: number;
  factor: number;
  /** intercept − z·standard error: what `sort=best` orders by. */
  lowerBound: number;
  /** Ratings from counted readers. */
  ratingCount: number;
  /** Helpful ratings from counted readers with a negative / positive factor. */
  helpfulNegative: number;
  helpfulPositive: number;
}

export interface FitOptions {
  /**
   * "mean", as the Community Notes scorer's code does: squared error averaged over ratings and
   * each penalty averaged over its parameters, so λ weighs like λ × (ratings per comment) ratings
   * on a comment. "sum": Σ error² + λ Σ parameter², as in the paper; far weaker shrinkage.
   */
  regularisation: "mean" | "sum";
  /** Regularisation of intercepts (μ, readers, comments). Community Notes: 0.15. */
  lambdaIntercept: number;
  /** Regularisation of factors. Community Notes: 0.03. */
  lambdaFactor: number;
  /** A reader counts once they have this many ratings. */
  minReaderRatings: number;
  /** A comment is scored once it has this many ratings from counted readers. */
  minCommentRatings: number;
  /** Standard errors below the intercept for the lower bound. */
  lowerBoundZ: number;
  maxIterations: number;
  /** Stop when the relative change of the loss falls below this. */
  tolerance: number;
  /** Seeds the initial reader factors. */
  seed: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = {
  regularisation: "mean",
  lambdaIntercept: 0.15,
  lambdaFactor: 0.03,
  minReaderRatings: 10,
  minCommentRatings: 5,
  lowerBoundZ: 1.28,
  maxIterations: 200,
  tolerance: 1e-7,
  seed: 1,
};

/** Penalties in the Σ-of-squared-errors scale the solver uses (λ, or λ × weight per parameter). */
export interface Penalties {
  mu: number;
  readerIntercept: number;
  readerFactor: number;
  commentIntercept: number;
  commentFactor: number;
}

export interface FitResult {
  mu: number;
  /** Kept so incremental scoring shrinks new comments exactly as the refit did. */
  penalties: Penalties;
  readers: Map<string, ReaderScore>;
  comments: Map<string, CommentScore>;
  /** Mean weighted squared error of the fit; the noise level of the lower bound. */
  residualVariance: number;
  iterations: number;
  converged: boolean;
  /** Ratings that entered the fit (after the reader and comment thresholds). */
  ratingsUsed: number;
}
