ALTER TABLE "expenses" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "notes" text;