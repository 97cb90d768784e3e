/**
 * The Standard Schema v1 interface (https://standardschema.dev), which zod, valibot and arktype
 * implement. Copied as the spec intends, so core depends on none of them.
 *
 * @module
 */

/** A schema any Standard Schema library produces. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

/** Types of the Standard Schema v1 interface. */
export declare namespace StandardSchemaV1 {
  /** The `~standard` property. */
  export interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  /** A validation result. */
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  /** Success: the (possibly transformed) value. */
  export interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  /** Failure: the issues. */
  export interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One issue. */
  export interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** A path segment object. */
  export interface PathSegment {
    readonly key: PropertyKey;
  }
  /** Input and output types. */
  export interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  /** The input type of a schema. */
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<
    Schema['~standard']['types']
  >['input'];
  /** The output type of a schema. */
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<
    Schema['~standard']['types']
  >['output'];
}
