import { seededRandom } from '../../../platform/random.js';
import type { ParticipantRecord } from './records.js';

// Word lists of our own; combined they give ~10^4 distinct names, companies and realistic skill mixes.
const FIRST = [
  'Ada',
  'Alan',
  'Amara',
  'Arjun',
  'Beatrix',
  'Bilal',
  'Camila',
  'Chen',
  'Dario',
  'Deepa',
  'Elena',
  'Emeka',
  'Farah',
  'Felix',
  'Grace',
  'Hana',
  'Hugo',
  'Ines',
  'Ivan',
  'Jamal',
  'Jia',
  'Kai',
  'Kofi',
  'Lena',
  'Luis',
  'Maya',
  'Mateo',
  'Nadia',
  'Noor',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Ravi',
  'Sade',
  'Sven',
  'Tariq',
  'Uma',
  'Valeria',
  'Wei',
  'Xavier',
  'Yara',
  'Yusuf',
  'Zoe',
  'Zane',
];
const LAST = [
  'Abara',
  'Bergström',
  'Castillo',
  'Dubois',
  'Eze',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Mensah',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quispe',
  'Rossi',
  'Silva',
  'Tanaka',
  'Usman',
  'Varga',
  'Wong',
  'Xu',
  'Yilmaz',
  'Zhang',
  'Moreau',
  'Novak',
  'Singh',
  'Kim',
];
const COMPANY_A = ['Blue', 'Quantum', 'Maple', 'Granite', 'Nimbus', 'Copper', 'Lumen', 'Harbor', 'Vertex', 'Orchard', 'Summit', 'Pixel'];
const COMPANY_B = ['Labs', 'Systems', 'Works', 'Dynamics', 'Collective', 'Studio', 'Analytics', 'Robotics', 'Cloud', 'Foundry'];
const COMPANY_FORM = ['Inc', 'Ltd', 'LLC', 'Group', 'and Sons', ''];
const DOMAINS = ['example.com', 'example.net', 'example.org'];
const SKILLS = [
  'Python',
  'JavaScript',
  'TypeScript',
  'Go',
  'Rust',
  'Java',
  'Kotlin',
  'Swift',
  'C',
  'C++',
  'C#',
  'Ruby',
  'PHP',
  'Scala',
  'Haskell',
  'Elixir',
  'Erlang',
  'OCaml',
  'F#',
  'Clojure',
  'Lua',
  'Julia',
  'R',
  'Dart',
  'Perl',
  'Bash',
  'SQL',
  'Fortran',
  'COBOL',
  'Assembly',
  'Zig',
  'Nim',
  'Prolog',
  'Lisp',
  'Scheme',
  'Elm',
  'React',
  'Vue.js',
  'Angular',
  'Svelte',
  'Next.js',
  'Nuxt',
  'Ember.js',
  'Solid',
  'Node.js',
  'Deno',
  'Express.js',
  'Fastify',
  'Nest.js',
  'Django',
  'Flask',
  'FastAPI',
  'Ruby on Rails',
  'Laravel',
  'Spring Boot',
  'ASP.NET',
  'Phoenix',
  'Tailwind',
  'Bootstrap',
  'Bulma',
  'Sass',
  'PostgreSQL',
  'MySQL',
  'SQLite',
  'MongoDB',
  'Redis',
  'Kafka',
  'GraphQL',
  'gRPC',
  'Docker',
  'Kubernetes',
  'Terraform',
  'AWS',
  'GCP',
  'Azure',
  'Linux',
  'Git',
  'Numpy',
  'Pandas',
  'SciPy',
  'Matplotlib',
  'Scikit-learn',
  'TensorFlow',
  'PyTorch',
  'Keras',
  'OpenCV',
  'NLTK',
  'Spacy',
  'Unity',
  'Unreal Engine',
  'Godot',
  'Pygame',
  'Figma',
  'Arduino',
  'Raspberry Pi',
  'Blender',
  'Three.js',
  'WebGL',
  'WebAssembly',
  'Solidity',
  'Flutter',
  'React Native',
];

export interface GeneratorOptions {
  count: number;
  seed?: number | string;
}

/**
 * A deterministic data set of the challenge's shape and statistics: 2–4 skills a hacker (ratings 1–5),
 * about 0.4% of records reusing an earlier email (in another case) and about 3% listing a skill twice.
 */
export function generateParticipants({ count, seed = 'guildhall-hackathon' }: GeneratorOptions): ParticipantRecord[] {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[rnd.int(0, list.length - 1)] as T;
  const records: ParticipantRecord[] = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const company = `${pick(COMPANY_A)} ${pick(COMPANY_B)}${pickForm(pick(COMPANY_FORM))}`;
    const earlier = records.length > 10 && rnd.float() < 0.004 ? records[rnd.int(0, records.length - 1)] : undefined;
    const email = earlier ? earlier.email.toUpperCase() : `${ascii(first)}.${ascii(last)}${i + 1}@${pick(DOMAINS)}`.toLowerCase();
    const phone = `+1-${rnd.int(200, 999)}-${rnd.int(200, 999)}-${String(rnd.int(0, 9999)).padStart(4, '0')}`;
    const skillCount = rnd.int(2, 4);
    const chosen = new Set<string>();
    while (chosen.size < skillCount) chosen.add(pick(SKILLS));
    const skills = [...chosen].map((skill) => ({ skill, rating: rnd.int(1, 5) }));
    const twice = skills[0];
    if (twice && rnd.float() < 0.03) skills.push({ skill: twice.skill, rating: rnd.int(1, 5) });
    records.push({ name: `${first} ${last}`, company, email, phone, skills });
  }
  return records;
}

function pickForm(form: string): string {
  return form ? ` ${form}` : '';
}

function ascii(word: string): string {
  return word.normalize('NFD').replace(/[^A-Za-z]/g, '');
}
