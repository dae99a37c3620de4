ALTER TABLE "expenses" DROP CONSTRAINT "expenses_split_type";--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "split_items" jsonb;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "tax_paise" bigint;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "tip_paise" bigint;--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_tax_tip" CHECK (coalesce("expenses"."tax_paise", 0) >= 0 and coalesce("expenses"."tip_paise", 0) >= 0);--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_split_type" CHECK ("expenses"."split_type" in ('EQUAL', 'EXACT', 'PERCENTAGE', 'SHARES', 'ADJUSTMENT', 'ITEMIZED'));