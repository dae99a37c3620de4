import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupPhone, normalisePhone, PHONE_MESSAGE } from "./phone.js";

/** A stored number: an optional + and 7 to 15 digits. */
const stored = fc
  .tuple(
    fc.boolean(),
    fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 7, maxLength: 15 }),
  )
  .map(([plus, digits]) => (plus ? `+${digits}` : digits));

const separators = fc.string({ unit: fc.constantFrom(" ", "-", ".", "(", ")"), maxLength: 2 });

/** The stored number as someone might type it: separators between the digits, brackets around. */
const typed = (n: string) =>
  fc
    .tuple(
      fc.array(separators, { minLength: n.length, maxLength: n.length }),
      fc.constantFrom("", " ", "(", " ("),
      fc.constantFrom("", " ", ")", ") "),
    )
    .map(([gaps, open, close]) => {
      const plus = n.startsWith("+") ? "+" : "";
      const digits = [...n.replace("+", "")];
      const inner = digits.map((d, i) => (i === 0 ? d : gaps[i] + d)).join("");
      return `${plus}${open}${inner}${close}`;
    });

describe("normalisePhone", () => {
  it("reads any stored number with separators typed in back to itself", () => {
    fc.assert(
      fc.property(
        stored.chain((n) => typed(n).map((t) => [n, t] as const)),
        ([n, t]) => {
          expect(normalisePhone(t)).toEqual({ ok: true, value: n });
        },
      ),
    );
  });

  it("refuses any typed number with a letter or another symbol in it", () => {
    const intruder = fc.oneof(
      fc.constantFrom(
        ..."aZeEx",
        "+",
        "/",
        "#",
        "*",
        "_",
        ",",
        "\t",
        "\n",
        "\u0000",
        "\u00a0",
        "٣",
      ),
      fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !/[0-9 .()-]/.test(c)),
    );
    fc.assert(
      fc.property(stored.chain(typed), intruder, fc.nat(), (t, c, at) => {
        // Anywhere after the first non-space character, where a + would be fine.
        const first = t.search(/[^ ]/) + 1;
        const i = first + (at % (t.length - first + 1));
        expect(normalisePhone(t.slice(0, i) + c + t.slice(i))).toEqual({
          ok: false,
          message: PHONE_MESSAGE,
        });
      }),
    );
  });

  it.each([
    ["98765 43210", "9876543210"],
    ["+91 98765-00001", "+919876500001"],
    ["(022) 2345 6789", "02223456789"],
    ["  +91 (98765) 43.210 ", "+919876543210"],
    ["+14155550123", "+14155550123"],
    [919876543210, "919876543210"],
  ])("reads %j as %j", (input, value) => {
    expect(normalisePhone(input)).toEqual({ ok: true, value });
  });

  it.each([
    ["98765 4321a"],
    ["123456"], // 6 digits
    ["+1234567890123456"], // 16 digits
    ["91+9876543210"],
    ["-9876543210"],
    ["9876543210."],
    ["98765\t43210"],
    ["98765/43210"],
    [""],
    ["()"],
    [`9876543210${" ".repeat(60)}1`],
    [123],
    [-9876543210],
    [1e21],
    [Number.NaN],
  ])("refuses %j", (input) => {
    expect(normalisePhone(input)).toEqual({ ok: false, message: PHONE_MESSAGE });
  });
});

describe("groupPhone", () => {
  it.each([
    ["9876543210", "98765 43210"],
    ["+919876500001", "+91 98765 00001"],
    ["919876500001", "91 98765 00001"],
    ["02223456789", "022 2345 6789"],
    ["+14155550123", "+14155550123"],
    ["12345678", "12345678"],
  ])("shows %j as %j", (n, shown) => {
    expect(groupPhone(n)).toBe(shown);
  });

  it("shows every stored number in a form that reads back to it", () => {
    fc.assert(
      fc.property(stored, (n) => {
        expect(normalisePhone(groupPhone(n))).toEqual({ ok: true, value: n });
      }),
    );
  });
});
