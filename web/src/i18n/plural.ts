/** Plural categories of the app's language, for entries such as "1 player" / "2 players". */
export const plural = new Intl.PluralRules("en");
