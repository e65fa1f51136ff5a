#!/usr/bin/env python3
# Copyright (c) Charter contributors. Licensed under the MIT License.
"""Generates evals/general-knowledge-mc.jsonl: 300 four-option general-knowledge questions.

Deterministic (fixed seed). Each line: {"id", "topic", "question", "A", "B", "C", "D", "expected"}.
Run from the repository root: python3 evals/tools/gen_mc.py

The options are ordered so that the correct one is also the option the simulated provider treats as correct
(src/Charter.Sim, Simulator.ExpectedChoice: FNV-1a 64 of the trimmed last user message, SplitMix64-mixed,
modulo the option count). The prompt below must therefore match general-knowledge-mc.yaml exactly;
test/Charter.Tests/Eval checks every case against the simulator's own function.
"""
import itertools, json, random

PROMPT = "{question}\n\nA) {A}\nB) {B}\nC) {C}\nD) {D}\n\nAnswer:\n"
M64 = (1 << 64) - 1


def fnv1a(data: bytes) -> int:
    h = 14695981039346656037
    for b in data:
        h = ((h ^ b) * 1099511628211) & M64
    return h


def mix(z: int) -> int:
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def sim_expected(text: str, count: int = 4) -> int:
    return mix(fnv1a(text.strip().encode("utf-8"))) % count

rng = random.Random(20261127)

capitals = dict(France="Paris", Germany="Berlin", Italy="Rome", Spain="Madrid", Portugal="Lisbon", Japan="Tokyo",
    China="Beijing", India="New Delhi", Brazil="Brasília", Argentina="Buenos Aires", Canada="Ottawa", Australia="Canberra",
    Egypt="Cairo", Kenya="Nairobi", Nigeria="Abuja", Russia="Moscow", Norway="Oslo", Sweden="Stockholm", Finland="Helsinki",
    Denmark="Copenhagen", Poland="Warsaw", Austria="Vienna", Greece="Athens", Turkey="Ankara", Mexico="Mexico City",
    Peru="Lima", Chile="Santiago", Colombia="Bogotá", Thailand="Bangkok", Vietnam="Hanoi", Indonesia="Jakarta",
    Ireland="Dublin", Netherlands="Amsterdam", Belgium="Brussels", Switzerland="Bern", Hungary="Budapest",
    Czechia="Prague", Morocco="Rabat", Iran="Tehran", Iraq="Baghdad", Pakistan="Islamabad", Philippines="Manila",
    Cuba="Havana", Ukraine="Kyiv", Romania="Bucharest", Bulgaria="Sofia", Serbia="Belgrade", Croatia="Zagreb",
    Iceland="Reykjavík", Ethiopia="Addis Ababa", Ghana="Accra", Senegal="Dakar", Venezuela="Caracas", Uruguay="Montevideo",
    Mongolia="Ulaanbaatar", Nepal="Kathmandu", Bangladesh="Dhaka", Malaysia="Kuala Lumpur", Singapore="Singapore",
    NewZealand="Wellington")
elements = dict(Hydrogen="H", Helium="He", Lithium="Li", Carbon="C", Nitrogen="N", Oxygen="O", Sodium="Na",
    Magnesium="Mg", Aluminium="Al", Silicon="Si", Phosphorus="P", Sulfur="S", Chlorine="Cl", Potassium="K",
    Calcium="Ca", Iron="Fe", Copper="Cu", Zinc="Zn", Silver="Ag", Gold="Au", Tin="Sn", Lead="Pb", Mercury="Hg",
    Uranium="U", Neon="Ne", Argon="Ar", Nickel="Ni", Platinum="Pt", Iodine="I", Fluorine="F", Tungsten="W",
    Titanium="Ti", Chromium="Cr", Manganese="Mn", Cobalt="Co", Barium="Ba", Radon="Rn", Krypton="Kr", Xenon="Xe", Boron="B")
books = {"Pride and Prejudice": "Jane Austen", "1984": "George Orwell", "War and Peace": "Leo Tolstoy",
    "Don Quixote": "Miguel de Cervantes", "Hamlet": "William Shakespeare", "The Odyssey": "Homer",
    "Moby-Dick": "Herman Melville", "Les Misérables": "Victor Hugo", "Crime and Punishment": "Fyodor Dostoevsky",
    "The Divine Comedy": "Dante Alighieri", "Faust": "Johann Wolfgang von Goethe", "Ulysses": "James Joyce",
    "One Hundred Years of Solitude": "Gabriel García Márquez", "The Trial": "Franz Kafka", "Frankenstein": "Mary Shelley",
    "Great Expectations": "Charles Dickens", "Madame Bovary": "Gustave Flaubert", "The Old Man and the Sea": "Ernest Hemingway",
    "To the Lighthouse": "Virginia Woolf", "The Great Gatsby": "F. Scott Fitzgerald", "Brave New World": "Aldous Huxley",
    "The Little Prince": "Antoine de Saint-Exupéry", "Anna Karenina": "Leo Tolstoy", "Dracula": "Bram Stoker",
    "The Hobbit": "J. R. R. Tolkien", "Beloved": "Toni Morrison", "The Stranger": "Albert Camus", "Candide": "Voltaire"}
facts = [
    ("Which planet is closest to the Sun?", "Mercury", ["Venus", "Mars", "Earth"]),
    ("Which planet is the largest in the Solar System?", "Jupiter", ["Saturn", "Neptune", "Earth"]),
    ("Which planet is known as the Red Planet?", "Mars", ["Venus", "Jupiter", "Mercury"]),
    ("What is the boiling point of water at sea level in degrees Celsius?", "100", ["90", "110", "120"]),
    ("How many continents are there?", "7", ["5", "6", "8"]),
    ("Which gas do plants absorb for photosynthesis?", "Carbon dioxide", ["Oxygen", "Nitrogen", "Hydrogen"]),
    ("What is the hardest natural substance?", "Diamond", ["Quartz", "Granite", "Iron"]),
    ("Which ocean is the largest?", "Pacific", ["Atlantic", "Indian", "Arctic"]),
    ("What is the longest river in South America?", "Amazon", ["Paraná", "Orinoco", "Magdalena"]),
    ("How many sides does a hexagon have?", "6", ["5", "7", "8"]),
    ("What is the speed of light in vacuum, approximately, in km/s?", "300,000", ["30,000", "3,000,000", "150,000"]),
    ("Which organ pumps blood through the human body?", "Heart", ["Liver", "Lungs", "Kidney"]),
    ("How many bones are in the adult human body?", "206", ["201", "212", "196"]),
    ("What is the smallest prime number?", "2", ["1", "3", "0"]),
    ("Who proposed the theory of general relativity?", "Albert Einstein", ["Isaac Newton", "Niels Bohr", "Max Planck"]),
    ("Who painted the Mona Lisa?", "Leonardo da Vinci", ["Michelangelo", "Raphael", "Titian"]),
    ("In which year did humans first land on the Moon?", "1969", ["1965", "1972", "1959"]),
    ("What is the freezing point of water in degrees Fahrenheit?", "32", ["0", "12", "40"]),
    ("Which metal is liquid at room temperature?", "Mercury", ["Gallium", "Lead", "Tin"]),
    ("What is the largest mammal?", "Blue whale", ["African elephant", "Giraffe", "Sperm whale"]),
    ("How many minutes are in a day?", "1,440", ["1,200", "1,600", "1,240"]),
    ("Which language has the most native speakers?", "Mandarin Chinese", ["English", "Spanish", "Hindi"]),
    ("Which instrument measures atmospheric pressure?", "Barometer", ["Thermometer", "Hygrometer", "Anemometer"]),
    ("What is the chemical formula of table salt?", "NaCl", ["KCl", "NaOH", "CaCl2"]),
    ("Which blood cells carry oxygen?", "Red blood cells", ["White blood cells", "Platelets", "Plasma cells"]),
]

questions = []
for country, capital in capitals.items():
    name = "New Zealand" if country == "NewZealand" else country
    others = rng.sample([c for c in capitals.values() if c != capital], 3)
    questions.append(("capitals", f"What is the capital of {name}?", capital, others))
for element, symbol in elements.items():
    others = rng.sample([s for s in elements.values() if s != symbol], 3)
    questions.append(("chemistry", f"What is the chemical symbol for {element}?", symbol, others))
for book, author in books.items():
    others = rng.sample(sorted({a for a in books.values() if a != author}), 3)
    questions.append(("literature", f"Who wrote \"{book}\"?", author, others))
for q, a, others in facts:
    questions.append(("science", q, a, others))
while len(questions) < 300:
    a, b = rng.randint(12, 99), rng.randint(3, 19)
    op = rng.choice(["×", "+", "−"])
    val = a * b if op == "×" else a + b if op == "+" else a - b
    wrong = set()
    while len(wrong) < 3:
        w = val + rng.choice([-10, -2, -1, 1, 2, 10, b, -b])
        if w != val:
            wrong.add(w)
    questions.append(("arithmetic", f"What is {a} {op} {b}?", str(val), [str(w) for w in sorted(wrong)]))

questions = questions[:300]
with open("evals/general-knowledge-mc.jsonl", "w", encoding="utf-8") as f:
    for i, (topic, q, answer, others) in enumerate(questions):
        perms = list(itertools.permutations([answer] + list(others)))
        rng.shuffle(perms)
        # Prefer the answer at a rotating position so that the letters come out balanced.
        perms.sort(key=lambda p: p.index(answer) != i % 4)
        for options in perms:
            rendered = PROMPT.format(question=q, A=options[0], B=options[1], C=options[2], D=options[3])
            if options[sim_expected(rendered)] == answer:
                break
        else:
            raise SystemExit(f"no consistent order for {q}")
        letter = "ABCD"[options.index(answer)]
        row = {"id": f"gk-{i + 1:03d}", "topic": topic, "question": q,
               "A": options[0], "B": options[1], "C": options[2], "D": options[3], "expected": letter}
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(questions), "questions")
