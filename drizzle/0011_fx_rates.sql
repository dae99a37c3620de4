CREATE TABLE "fx_rates" (
	"currency" text NOT NULL,
	"rate_date" date NOT NULL,
	"rate" numeric NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fx_rates_currency_rate_date_pk" PRIMARY KEY("currency","rate_date"),
	CONSTRAINT "fx_rates_currency" CHECK ("fx_rates"."currency" ~ '^[A-Z]{3}$' and "fx_rates"."currency" <> 'EUR'),
	CONSTRAINT "fx_rates_rate_positive" CHECK ("fx_rates"."rate" > 0)
);
