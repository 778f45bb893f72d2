import { createRandom } from '../../src/dedupe/create-random.js';

/** One real person behind the generated rows: what must stay findable after import. */
export interface Person {
  externalId: string;
  firstName: string;
  lastName: string;
  /** Their own email, or one shared with a spouse; empty for a few who gave none. */
  email: string;
  phone: string;
  birthDate: string;
}

export interface SharedContacts {
  header: string;
  /** CSV lines, header excluded, in file order: at least the rows asked for (a household is never cut). */
  lines: string[];
  people: Person[];
}

// No two first names here are nicknames or near-spellings of each other: the
// generator's truth is that different names are different people.
const FIRST = ['Jane', 'Tom', 'Priya', 'Omar', 'Grace', 'Liam', 'Sofia', 'Kenji', 'Amara', 'Lucas', 'Ingrid', 'Mateo', 'Chloe', 'Ravi', 'Hana', 'Diego', 'Fatima', 'Oscar', 'Yuki', 'Noah', 'Elena', 'Samuel', 'Aisha', 'Victor', 'Mia', 'Felix', 'Leila', 'Hugo', 'Zara', 'Ivan'];
const LAST = ['Smith', 'Okafor', 'Nguyen', 'Garcia', 'Kowalski', 'Haddad', 'Tanaka', 'Brown', 'Rossi', 'Dubois', 'Silva', 'Novak', 'Larsen', 'Mehta', 'Walsh', 'Fischer', 'Costa', 'Yilmaz', 'Ortiz', 'Lindqvist', 'Moreau', 'Adeyemi', 'Kim', 'Petrov', 'Jensen', 'Barros', 'Quinn', 'Sato', 'Abbott', 'Varga'];

/**
 * A deterministic customers file in which many different people share a phone
 * (households, offices, one shop's landline), a few couples share an email,
 * fathers and sons share a name and a phone, and some people appear twice
 * (the same id, or no id but the same email, names re-cased). Returns the rows
 * and the people behind them. Pure.
 */
export function generateSharedContacts(rows: number, seed = 7): SharedContacts {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const people: Person[] = [];
  const lines: string[] = [];
  const shopLandline = '+12125550100';
  let serial = 0;

  const phoneNumber = () => `+1212${String(2_000_000 + Math.floor(random() * 7_999_999))}`;
  const birthDate = () => `${1940 + Math.floor(random() * 65)}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`;
  const addPerson = (firstName: string, lastName: string, phone: string, email?: string): Person => {
    serial += 1;
    const person: Person = {
      externalId: `P${serial}`,
      firstName,
      lastName,
      email: email ?? (random() < 0.04 ? '' : `${firstName}.${lastName}.${serial}@example.com`.toLowerCase()),
      phone: random() < 0.01 ? shopLandline : phone,
      birthDate: birthDate(),
    };
    people.push(person);
    lines.push(rowOf(person, person.externalId, false));
    return person;
  };

  while (lines.length < rows) {
    const kind = random();
    if (kind < 0.45) {
      addPerson(pick(FIRST), pick(LAST), phoneNumber());
    } else if (kind < 0.75) {
      // A household: one home phone, one surname, different first names; sometimes a couple's shared email,
      // sometimes a son named after his father.
      const surname = pick(LAST);
      const phone = phoneNumber();
      const size = 2 + Math.floor(random() * 3);
      const names = shuffled(FIRST, random).slice(0, size);
      const familyEmail = random() < 0.15 ? `the.${surname}s.${serial}@example.com`.toLowerCase() : undefined;
      names.forEach((name, i) => addPerson(name, surname, phone, i < 2 ? familyEmail : undefined));
      if (random() < 0.1) addPerson(names[0]!, surname, phone);
    } else if (kind < 0.9) {
      // An office: one landline, colleagues with any names (two Janes with different surnames are common).
      const phone = phoneNumber();
      const size = 5 + Math.floor(random() * 26);
      for (let i = 0; i < size; i++) addPerson(pick(FIRST), pick(LAST), phone);
    } else if (people.length > 0) {
      // Someone seen before, again: under the same id, or with no id but the same email.
      const person = people[Math.floor(random() * people.length)]!;
      if (random() < 0.5) lines.push(rowOf(person, person.externalId, true));
      else if (person.email !== '') lines.push(rowOf(person, '', true));
    }
  }
  return { header: 'Customer ID,First Name,Last Name,Email,Phone,Birthday', lines, people };
}

function rowOf(person: Person, id: string, recased: boolean): string {
  const first = recased ? person.firstName.toUpperCase() : person.firstName;
  const last = recased ? person.lastName.toUpperCase() : person.lastName;
  return [id, first, last, person.email, person.phone, person.birthDate].join(',');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
