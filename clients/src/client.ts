/**
 * A small client of the example shop, typed only by what openapi-typescript generates from the
 * example project's schema in the awork style (clients/generated/awork.ts). `tsc --strict` compiling it
 * is the test: the error code narrows, validation errors and the incident phrase are typed, and a code
 * the catalogue does not have fails to compile (each `@ts-expect-error` below must find its error).
 */
import type { components, operations } from "../generated/awork";

type Schemas = components["schemas"];

/** Every code of the catalogue: the `ErrorCode` union of the schema. */
export type ErrorCode = Schemas["ErrorCode"];

/** The body an operation answers with for one status, as the schema documents it. */
export type ErrorOf<
  Operation extends keyof operations,
  Status extends keyof operations[Operation]["responses"],
> = operations[Operation]["responses"][Status] extends { content: { "application/json": infer Body } }
  ? Body
  : never;

// The error bodies this client handles, one name per operation and status. Today the schema gives
// every operation the one ErrorResponse; once it lists each operation's own codes, these types narrow
// by themselves and this file adds an @ts-expect-error for a code the operation cannot answer.
export type BuyConflict = ErrorOf<"api_products_buy_create", 409>;
export type BuyInvalid = ErrorOf<"api_products_buy_create", 400>;
export type BuyThrottled = ErrorOf<"api_products_buy_create", 429>;
export type ArchiveInvalid = ErrorOf<"api_projects_archive_create", 400>;
export type CreateProductInvalid = ErrorOf<"api_products_create", 400>;
export type ServerError = ErrorOf<"api_products_buy_create", 500>;

/** What a buyer is told, from the code of the 409 `buy` answers. */
export function buyConflictMessage(body: BuyConflict): string {
  switch (body.code) {
    case "out-of-stock":
      return "Sold out: try again when the shop restocks.";
    case "concurrency-violation":
      return "Someone bought it at the same moment: reload and try again.";
    default:
      return body.description;
  }
}

/** Whether archiving failed because the project is archived already (a 400 of its own). */
export function isAlreadyArchived(body: ArchiveInvalid): boolean {
  const archived: ErrorCode = "entity-archived";
  return body.code === archived;
}

/** The field errors of a rejected product, as `property: message` lines (`null` is the whole object). */
export function fieldMessages(body: CreateProductInvalid): string[] {
  if (body.code !== "validation-failed") {
    return [body.description];
  }
  return body.validationErrors.map((item) => `${item.property ?? "(object)"}: ${item.message} [${item.code}]`);
}

/** The sentence a support desk asks for: the incident phrase of a server error. */
export function incidentPhrase(body: ServerError): string | undefined {
  return body.phrase;
}

/** Seconds to wait after a 429, from its `Retry-After` header (the body says which code). */
export function retryAfterSeconds(response: Response, body: BuyThrottled): number | undefined {
  if (body.code !== "too-many-requests") {
    return undefined;
  }
  const header = response.headers.get("Retry-After");
  return header === null ? undefined : Number(header);
}

export type BuyResult =
  | { ok: true; product: Schemas["Product"] }
  | { ok: false; status: number; message: string; retryAfter?: number };

/** `POST /api/products/{id}/buy/`, with each documented error turned into a message. */
export async function buy(baseUrl: string, id: number, token: string): Promise<BuyResult> {
  const response = await fetch(`${baseUrl}/api/products/${id}/buy/`, {
    method: "POST",
    headers: { Authorization: `Token ${token}`, Accept: "application/json" },
  });
  if (response.ok) {
    return { ok: true, product: (await response.json()) as Schemas["Product"] };
  }
  const status = response.status;
  switch (status) {
    case 409:
      return { ok: false, status, message: buyConflictMessage((await response.json()) as BuyConflict) };
    case 429: {
      const body = (await response.json()) as BuyThrottled;
      const retryAfter = retryAfterSeconds(response, body);
      return { ok: false, status, message: body.description, ...(retryAfter === undefined ? {} : { retryAfter }) };
    }
    case 500: {
      const body = (await response.json()) as ServerError;
      return { ok: false, status, message: `${body.description} (${incidentPhrase(body) ?? "no phrase"})` };
    }
    default: {
      const body = (await response.json()) as BuyInvalid;
      return { ok: false, status, message: body.description };
    }
  }
}

// A code that is not in the catalogue does not compile, as a value or in a comparison.
// @ts-expect-error "sold-out" is not a code of the catalogue
export const misspelt: ErrorCode = "sold-out";

export function comparesWithAWrongCode(body: BuyConflict): boolean {
  // @ts-expect-error "out_of_stock" (underscores) is not a code of the catalogue
  return body.code === "out_of_stock";
}

export function readsAFieldErrorThatDoesNotExist(body: CreateProductInvalid): unknown {
  // @ts-expect-error awork's field errors have property, message and code; no "field"
  return body.validationErrors[0]?.field;
}
