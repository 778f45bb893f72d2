/**
 * One customer as the dedupe engine sees it. Strings arrive normalised by the
 * importer (lower-case email, E.164 phone, ISO birth date YYYY-MM-DD or YYYY),
 * names only roughly (mixed case, typos). Absent or blank means unknown.
 */
export interface DedupeRecord {
  id: number;
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  birthDate?: string | undefined;
  addressLine1?: string | undefined;
  addressLine2?: string | undefined;
  postalCode?: string | undefined;
  city?: string | undefined;
  region?: string | undefined;
  country?: string | undefined;
}
