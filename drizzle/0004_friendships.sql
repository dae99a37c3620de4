CREATE TABLE "friendships" (
	"user_id" integer NOT NULL,
	"friend_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "friendships_user_id_friend_id_pk" PRIMARY KEY("user_id","friend_id"),
	CONSTRAINT "friendships_distinct_users" CHECK ("friendships"."user_id" <> "friendships"."friend_id")
);
--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "mobile_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "friendships" ADD CONSTRAINT "friendships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "friendships" ADD CONSTRAINT "friendships_friend_id_users_id_fk" FOREIGN KEY ("friend_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "users_invited_by_idx" ON "users" USING btree ("invited_by");--> statement-breakpoint
-- Backfill: people who already share a balance row (an expense or a settlement) and people who
-- invited one another stay known to each other, as friends (both directions).
INSERT INTO "friendships" ("user_id", "friend_id")
SELECT "user_a", "user_b" FROM "pair_balances"
UNION SELECT "user_b", "user_a" FROM "pair_balances"
UNION SELECT "invited_by", "id" FROM "users" WHERE "invited_by" IS NOT NULL AND "invited_by" <> "id"
UNION SELECT "id", "invited_by" FROM "users" WHERE "invited_by" IS NOT NULL AND "invited_by" <> "id"
ON CONFLICT DO NOTHING;
