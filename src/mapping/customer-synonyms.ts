import type { CustomerField } from '../model/customer-fields.js';
import { headerKey } from './normalize-header.js';

/**
 * Header synonyms for each canonical customer field, written as people write
 * headers and compared through `headerKey` (so "E-mail Address", "email_address"
 * and "EmailAddress" are one entry). English plus the German, French, Spanish,
 * Swedish (and a few Dutch/Italian) labels that platform exports use.
 *
 * `weak` synonyms are ambiguous on their own and only win a field that no
 * `strong` synonym in the same header claims:
 * - "Name" → full_name (WooCommerce, Stripe, Salesforce use it for the whole name;
 *   in an orders file it is the order number, but orders files go through
 *   `inferKind` first).
 * - "Title" → job_title, unless sample values look like honorifics (Mr, Dr, Frau…:
 *   Outlook's "Title") — then it stays an attribute `title`.
 * - "ID" → external_id, yielding to "Customer ID", "Record ID" and friends.
 * - "State" → region, unless sample values look like statuses (active, closed…).
 * - "Created", "Subscribed", "Labels", "Groups", "Position", "Description" similarly yield.
 */
export const CUSTOMER_SYNONYMS: Readonly<Record<CustomerField, { strong: readonly string[]; weak: readonly string[] }>> = {
  external_id: {
    strong: ['external id', 'customer id', 'record id', 'contact id', 'customer number', 'customer no', 'client id', 'member id', 'kundennummer', 'kunden id', 'numero client', 'id client', 'id de cliente', 'kundnummer', 'kund id'],
    weak: ['id', 'user id', 'reference id', 'ref'],
  },
  first_name: {
    strong: ['first name', 'given name', 'forename', 'fname', 'first', 'vorname', 'prénom', 'nombre', 'förnamn', 'voornaam', 'nome', 'billing first name'],
    weak: [],
  },
  last_name: {
    strong: ['last name', 'surname', 'family name', 'lname', 'last', 'nachname', 'familienname', 'nom', 'nom de famille', 'apellido', 'apellidos', 'efternamn', 'achternaam', 'cognome', 'billing last name'],
    weak: [],
  },
  full_name: {
    strong: ['full name', 'customer name', 'contact name', 'display name', 'fullname', 'vollständiger name', 'nom complet', 'nombre completo', 'fullständigt namn'],
    weak: ['name', 'namn', 'customer', 'contact'],
  },
  email: {
    strong: ['email', 'e-mail', 'email address', 'e-mail address', 'e-mail 1 - value', 'emailaddress', 'mail', 'correo', 'correo electrónico', 'courriel', 'adresse e-mail', 'adresse email', 'e-post', 'e-postadress', 'e-mail-adresse', 'email 1', 'primary email', 'billing email', 'user email'],
    weak: [],
  },
  phone: {
    strong: ['phone', 'mobile', 'cell', 'cell phone', 'telephone', 'tel', 'phone number', 'telephone number', 'mobile phone', 'mobile number', 'primary phone', 'phone 1 - value', 'telefon', 'téléphone', 'teléfono', 'telefonnummer', 'mobilnummer', 'mobiltelefon', 'handy', 'numéro de téléphone', 'número de teléfono', 'billing phone'],
    weak: [],
  },
  company: {
    strong: ['company', 'company name', 'organization', 'organisation', 'organization name', 'business', 'business name', 'firma', 'firmenname', 'unternehmen', 'unternehmensname', 'entreprise', "nom de l'entreprise", 'empresa', 'nombre de la empresa', 'företag', 'företagsnamn', 'employer', 'billing company'],
    weak: ['account name'],
  },
  job_title: {
    strong: ['job title', 'jobtitle', 'job', 'berufsbezeichnung', 'position title', 'intitulé du poste', 'cargo', 'befattning', 'jobbtitel'],
    weak: ['title', 'position', 'role', 'titel'],
  },
  address_line1: {
    strong: ['address', 'address1', 'address 1', 'street', 'street address', 'street address 1', 'address line 1', 'address line1', 'straße', 'strasse', 'adresse', 'dirección', 'direccion', 'adress', 'gatuadress', 'billing address 1', 'billing address1', 'addr1'],
    weak: [],
  },
  address_line2: {
    strong: ['address2', 'address 2', 'address line 2', 'address line2', 'street address 2', 'adresszusatz', "complément d'adresse", 'billing address 2', 'billing address2', 'addr2'],
    weak: [],
  },
  city: {
    strong: ['city', 'town', 'stadt', 'ort', 'ville', 'ciudad', 'stad', 'localidad', 'città', 'postort', 'billing city'],
    weak: ['locality', 'suburb'],
  },
  region: {
    strong: ['region', 'province', 'province code', 'county', 'bundesland', 'state/province', 'state/region', 'state or province', 'provincia', 'län', 'billing state'],
    weak: ['state'],
  },
  postal_code: {
    strong: ['zip', 'zip code', 'zipcode', 'postcode', 'postal code', 'zip/postal code', 'postleitzahl', 'plz', 'code postal', 'código postal', 'postnummer', 'billing postcode'],
    weak: [],
  },
  country: {
    strong: ['country', 'country code', 'country/region', 'country / region', 'land', 'pays', 'país', 'pays/région', 'país/región', 'land/region', 'billing country'],
    weak: ['nation'],
  },
  birth_date: {
    strong: ['birth date', 'birthdate', 'birthday', 'dob', 'date of birth', 'geburtsdatum', 'geburtstag', 'date de naissance', 'fecha de nacimiento', 'födelsedatum', 'födelsedag'],
    weak: [],
  },
  gender: {
    strong: ['gender', 'sex', 'geschlecht', 'sexe', 'sexo', 'kön'],
    weak: ['genre'],
  },
  occupation: {
    strong: ['occupation', 'profession', 'beruf', 'ocupación', 'yrke'],
    weak: [],
  },
  income: {
    strong: ['income', 'annual income', 'household income', 'income band', 'einkommen', 'revenu', 'ingresos', 'inkomst'],
    weak: ['salary'],
  },
  email_consent: {
    strong: ['email consent', 'accepts email marketing', 'accepts marketing', 'email opt in', 'email opt-in', 'marketing consent', 'email marketing consent', 'email subscribed', 'email subscription status', 'newsletter consent', 'marketing opt in'],
    weak: ['subscribed', 'newsletter', 'opt in', 'opted in'],
  },
  sms_consent: {
    strong: ['sms consent', 'accepts sms marketing', 'sms opt in', 'sms opt-in', 'sms marketing consent', 'text opt in', 'sms subscribed'],
    weak: [],
  },
  tags: {
    strong: ['tags', 'tag', 'schlagwörter', 'étiquettes', 'etiquetas', 'taggar'],
    weak: ['labels', 'groups', 'categories', 'group membership', 'segments'],
  },
  notes: {
    strong: ['notes', 'note', 'comments', 'comment', 'remarks', 'memo', 'notizen', 'notiz', 'bemerkungen', 'remarques', 'notas', 'anteckningar'],
    weak: ['description'],
  },
  signup_date: {
    strong: ['signup date', 'sign up date', 'sign up', 'signup', 'created at', 'date created', 'created date', 'create date', 'customer since', 'date registered', 'registered', 'registration date', 'join date', 'joined', 'created (utc)', 'user registered', 'erstellt am', 'date de création', 'fecha de creación', 'skapad'],
    weak: ['created'],
  },
};

export interface SynonymHit {
  field: CustomerField;
  strength: 'exact' | 'strong' | 'weak';
}

const SYNONYM_INDEX: ReadonlyMap<string, SynonymHit> = buildIndex();

function buildIndex(): Map<string, SynonymHit> {
  const index = new Map<string, SynonymHit>();
  const entries = Object.entries(CUSTOMER_SYNONYMS) as [CustomerField, { strong: readonly string[]; weak: readonly string[] }][];
  for (const [field] of entries) index.set(headerKey(field), { field, strength: 'exact' });
  for (const [field, { strong }] of entries) {
    for (const synonym of strong) if (!index.has(headerKey(synonym))) index.set(headerKey(synonym), { field, strength: 'strong' });
  }
  for (const [field, { weak }] of entries) {
    for (const synonym of weak) if (!index.has(headerKey(synonym))) index.set(headerKey(synonym), { field, strength: 'weak' });
  }
  return index;
}

/** The field a header names by synonym, or null; compares through `headerKey`, never throws. */
export function lookupSynonym(header: string): SynonymHit | null {
  return SYNONYM_INDEX.get(headerKey(header)) ?? null;
}

/** Every synonym key (headerKey form) with its field, longest first: for partial-name guessing. */
export function synonymKeysByLength(): readonly { key: string; field: CustomerField }[] {
  return [...SYNONYM_INDEX.entries()]
    .map(([key, hit]) => ({ key, field: hit.field }))
    .sort((a, b) => b.key.length - a.key.length);
}
