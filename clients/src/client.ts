/**
 * A small client of the example shop, typed only by what openapi-typescript generates from the
 * example project's schema in the awork style (clients/generated/awork.ts). `tsc --strict` compiling it
 * is the test: each operation's error codes narrow per status, field error codes and the documented
 * headers are typed, and a code an operation cannot answer fails to compile (each `@ts-expect-error`
 * below must find its error).
 */
import type { components, operations } from "../generated/awork";

type Schemas = components["schemas"];

/** Every code of the catalogue: the `ErrorCode` union of the schema. */
export type ErrorCode = Schemas["ErrorCode"];

/** Every field error code DRF, Django and the shop use: the `FieldErrorCode` union. */
export type FieldErrorCode = Schemas["FieldErrorCode"];

type Responses<Operation extends keyof operations> = operations[Operation]["responses"];

/** The body an operation answers with for one status (or a union of statuses), as documented. */
export type ErrorOf<
  Operation extends keyof operations,
  Status extends keyof Responses<Operation>,
> = Responses<Operation>[Status] extends { content: { "application/json": infer Body } } ? Body : never;

/** The headers an operation's response with one status carries, as documented. */
export type HeadersOf<
  Operation extends keyof operations,
  Status extends keyof Responses<Operation>,
> = Responses<Operation>[Status] extends { headers: infer Headers } ? Headers : never;

/** The error statuses an operation documents. */
export type ErrorStatus<Operation extends keyof operations> = Extract<keyof Responses<Operation>, number> &
  (400 | 401 | 403 | 404 | 405 | 406 | 409 | 413 | 415 | 429 | 451 | 500 | 503);

/** Any error body of an operation: a union whose `code` narrows to one status's body. */
export type AnyErrorOf<Operation extends keyof operations> = ErrorOf<Operation, ErrorStatus<Operation>>;

export type BuyConflict = ErrorOf<"api_products_buy_create", 409>;
export type BuyError = AnyErrorOf<"api_products_buy_create">;
export type BuyThrottledHeaders = HeadersOf<"api_products_buy_create", 429>;
export type ArchiveInvalid = ErrorOf<"api_projects_archive_create", 400>;
export type ArchiveError = AnyErrorOf<"api_projects_archive_create">;
export type CreateProjectInvalid = ErrorOf<"api_projects_create", 400>;
export type ServerError = ErrorOf<"api_products_buy_create", 500>;
export type ServerErrorHeaders = HeadersOf<"api_products_buy_create", 500>;

/** What a buyer is told: `buy` answers 409 only with `out-of-stock`. */
export function buyConflictMessage(body: BuyConflict): string {
  const sold: "out-of-stock" = body.code; // the only code of buy's 409
  return `${sold}: ${body.details.join(" ") || body.description}`;
}

/** Every error `buy` documents, by code; the switch narrows each body to its status. */
export function buyErrorMessage(body: BuyError): string {
  switch (body.code) {
    case "out-of-stock":
      return "Sold out: try again when the shop restocks.";
    case "too-many-requests":
      return "Two purchases a minute: wait a moment.";
    case "not-found":
      return "This product is gone.";
    case "not-authenticated":
    case "unauthorized":
      return "Sign in to buy.";
    case "server-error":
    case "database-commit":
      return `${body.description} (${incidentPhrase(body)})`;
    case "service-unavailable":
      return "The shop is down for a moment.";
    default:
      return body.description;
  }
}

/** Archiving answers 400 with its own `entity-archived` beside the validation codes. */
export function archiveMessage(body: ArchiveError): string {
  switch (body.code) {
    case "entity-archived":
      return "This project is archived already.";
    case "validation-failed":
      return fieldMessages(body).join("\n");
    case "not-found":
      return "No such project.";
    default:
      return body.description;
  }
}

/** Whether archiving failed because the project is archived already. */
export function isAlreadyArchived(body: ArchiveInvalid): boolean {
  return body.code === "entity-archived";
}

/** The field errors of a rejected body, as `property: message` lines; `required` named apart. */
export function fieldMessages(body: { validationErrors: Schemas["ValidationError"][] }): string[] {
  return body.validationErrors.map((item) => {
    const code: FieldErrorCode = item.code;
    const where = item.property ?? "(object)";
    return code === "required" ? `${where}: missing` : `${where}: ${item.message} [${code}]`;
  });
}

/** The project's own field error code (the shop's budget rule) is part of the union. */
export function isBudgetRule(body: CreateProjectInvalid): boolean {
  return body.validationErrors.some((item) => item.code === "budget");
}

/** The sentence a support desk asks for: the incident phrase of a server error. */
export function incidentPhrase(body: { phrase?: string }): string {
  return body.phrase ?? "no phrase";
}

/** The phrase from the `X-Error-Phrase` header of a 5xx (typed by the schema: a string). */
export function phraseHeader(response: Response): ServerErrorHeaders["X-Error-Phrase"] | undefined {
  return response.headers.get("X-Error-Phrase") ?? undefined;
}

/** Seconds to wait after a 429, from its documented `Retry-After` header (an integer). */
export function retryAfterSeconds(response: Response): BuyThrottledHeaders["Retry-After"] | undefined {
  const header = response.headers.get("Retry-After");
  return header === null ? undefined : Number(header);
}

export type BuyResult =
  | { ok: true; product: Schemas["Product"] }
  | { ok: false; status: number; code: ErrorCode; message: string; retryAfter?: number; phrase?: string };

/** `POST /api/products/{id}/buy/`, with each documented error turned into a message. */
export async function buy(baseUrl: string, id: number, token: string): Promise<BuyResult> {
  const response = await fetch(`${baseUrl}/api/products/${id}/buy/`, {
    method: "POST",
    headers: { Authorization: `Token ${token}`, Accept: "application/json" },
  });
  if (response.ok) {
    return { ok: true, product: (await response.json()) as Schemas["Product"] };
  }
  const body = (await response.json()) as BuyError;
  const failure = { ok: false as const, status: response.status, code: body.code, message: buyErrorMessage(body) };
  if (body.code === "too-many-requests") {
    const retryAfter = retryAfterSeconds(response);
    return retryAfter === undefined ? failure : { ...failure, retryAfter };
  }
  if (body.code === "server-error" || body.code === "database-commit") {
    const phrase = phraseHeader(response);
    return phrase === undefined ? failure : { ...failure, phrase };
  }
  return failure;
}

// A code that is not in the catalogue does not compile, as a value or in a comparison.
// @ts-expect-error "sold-out" is not a code of the catalogue
export const misspelt: ErrorCode = "sold-out";

export function comparesWithAWrongCode(body: BuyError): boolean {
  // @ts-expect-error "out_of_stock" (underscores) is not a code of the catalogue
  return body.code === "out_of_stock";
}

// A code of the catalogue that the operation cannot answer with that status does not compile either.
export function buysConflictIsNeverNotFound(body: BuyConflict): boolean {
  // @ts-expect-error buy's 409 is only out-of-stock; not-found is its 404
  return body.code === "not-found";
}

export function buyNeverAnswersEntityArchived(body: BuyError): boolean {
  // @ts-expect-error no response of buy carries entity-archived (archiving a project does)
  return body.code === "entity-archived";
}

export function archiveNeverAnswersOutOfStock(body: ArchiveInvalid): boolean {
  // @ts-expect-error archive's 400 cannot be out-of-stock (a 409 of buy)
  return body.code === "out-of-stock";
}

export function readsAFieldErrorThatDoesNotExist(body: CreateProjectInvalid): unknown {
  // @ts-expect-error awork's field errors have property, message and code; no "field"
  return body.validationErrors[0]?.field;
}

export function comparesWithAMisspeltFieldCode(body: CreateProjectInvalid): boolean {
  // @ts-expect-error "requird" is not a field error code DRF, Django or the shop use
  return body.validationErrors.some((item) => item.code === "requird");
}

// @ts-expect-error Retry-After is documented as an integer, not a string
export const retryAfterIsANumber: BuyThrottledHeaders["Retry-After"] = "5";
