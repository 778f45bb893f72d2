import { CustdbError } from '../errors.js';

/**
 * A customer-value model could not be fitted to these data: the command ran but
 * has no parameters to give (exit 1). Subclasses name why.
 */
export class ModelFitError extends CustdbError {
  constructor(message: string, options: { hint: string; cause?: unknown }) {
    super(message, { ...options, exitCode: 1 });
  }
}

/** Too few repeat customers, or no spread of first-purchase days, to determine the parameters. */
export class ThinDataError extends ModelFitError {}

/** The optimiser did not settle, or settled where the model has no finite answer. */
export class FitNotConvergedError extends ModelFitError {}

/** A query asked for predicted fields before any `custdb analytics fit`: it cannot run as asked (exit 2). */
export class PredictionsNotFittedError extends CustdbError {}
