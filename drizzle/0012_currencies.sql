-- drizzle-kit put the new primary keys before the column they name: the columns come first.
ALTER TABLE "group_pair_balances" ADD COLUMN "currency" text DEFAULT 'INR' NOT NULL;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "original_amount" bigint;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "original_currency" text;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "exchange_rate" numeric;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "currency" text DEFAULT 'INR' NOT NULL;--> statement-breakpoint
ALTER TABLE "pair_balances" ADD COLUMN "currency" text DEFAULT 'INR' NOT NULL;--> statement-breakpoint
ALTER TABLE "expenses" DROP CONSTRAINT "expenses_amount_range";--> statement-breakpoint
ALTER TABLE "settlements" DROP CONSTRAINT "settlements_amount_range";--> statement-breakpoint
ALTER TABLE "group_pair_balances" DROP CONSTRAINT "group_pair_balances_group_id_user_a_user_b_pk";--> statement-breakpoint
ALTER TABLE "pair_balances" DROP CONSTRAINT "pair_balances_user_a_user_b_pk";--> statement-breakpoint
ALTER TABLE "group_pair_balances" ADD CONSTRAINT "group_pair_balances_group_id_user_a_user_b_currency_pk" PRIMARY KEY("group_id","user_a","user_b","currency");--> statement-breakpoint
ALTER TABLE "pair_balances" ADD CONSTRAINT "pair_balances_user_a_user_b_currency_pk" PRIMARY KEY("user_a","user_b","currency");--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_original" CHECK (("expenses"."original_amount" is null and "expenses"."original_currency" is null and "expenses"."exchange_rate" is null)
        or ("expenses"."original_amount" > 0 and "expenses"."original_currency" ~ '^[A-Z]{3}$' and "expenses"."exchange_rate" > 0));--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_amount_range" CHECK ("expenses"."amount_paise" > 0 and "expenses"."amount_paise" <= 10000000000);--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_currency" CHECK ("groups"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_currency" CHECK ("settlements"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_amount_range" CHECK ("settlements"."amount_paise" > 0 and "settlements"."amount_paise" <= 10000000000);