CREATE SCHEMA "arena";
--> statement-breakpoint
CREATE SEQUENCE "arena"."battle_processing_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "arena"."battles" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"attacker_id" bigint NOT NULL,
	"defender_id" bigint NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"seed" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"winner_id" bigint,
	"loot_gold" bigint DEFAULT 0 NOT NULL,
	"loot_silver" bigint DEFAULT 0 NOT NULL,
	"report" jsonb,
	"processed_seq" bigint,
	CONSTRAINT "battles_not_self" CHECK ("arena"."battles"."attacker_id" <> "arena"."battles"."defender_id"),
	CONSTRAINT "battles_status_valid" CHECK ("arena"."battles"."status" in ('queued', 'running', 'done'))
);
--> statement-breakpoint
CREATE TABLE "arena"."players" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"gold" bigint NOT NULL,
	"silver" bigint NOT NULL,
	"attack" integer NOT NULL,
	"hit_points" integer NOT NULL,
	"luck" integer NOT NULL,
	"score" bigint DEFAULT 0 NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "players_balances_non_negative" CHECK ("arena"."players"."gold" >= 0 AND "arena"."players"."silver" >= 0 AND "arena"."players"."score" >= 0),
	CONSTRAINT "players_stats_valid" CHECK ("arena"."players"."attack" >= 1 AND "arena"."players"."hit_points" >= 1 AND "arena"."players"."luck" BETWEEN 0 AND 100),
	CONSTRAINT "players_name_length" CHECK (char_length("arena"."players"."name") BETWEEN 1 AND 20 AND char_length("arena"."players"."description") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "arena"."battles" ADD CONSTRAINT "battles_attacker_id_players_id_fk" FOREIGN KEY ("attacker_id") REFERENCES "arena"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "arena"."battles" ADD CONSTRAINT "battles_defender_id_players_id_fk" FOREIGN KEY ("defender_id") REFERENCES "arena"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "arena"."battles" ADD CONSTRAINT "battles_winner_id_players_id_fk" FOREIGN KEY ("winner_id") REFERENCES "arena"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "battles_attacker" ON "arena"."battles" USING btree ("attacker_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "battles_defender" ON "arena"."battles" USING btree ("defender_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "battles_pending_attacker" ON "arena"."battles" USING btree ("attacker_id","id") WHERE "arena"."battles"."status" <> 'done';--> statement-breakpoint
CREATE INDEX "battles_pending_defender" ON "arena"."battles" USING btree ("defender_id","id") WHERE "arena"."battles"."status" <> 'done';--> statement-breakpoint
CREATE UNIQUE INDEX "players_name_ci" ON "arena"."players" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "players_token_hash" ON "arena"."players" USING btree ("token_hash");