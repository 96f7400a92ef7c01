CREATE SCHEMA "platform";
--> statement-breakpoint
CREATE TABLE "platform"."jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" text DEFAULT 'waiting' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"locked_by" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_state_valid" CHECK ("platform"."jobs"."state" in ('waiting', 'active', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "platform"."leaderboard" (
	"board" text NOT NULL,
	"member" text NOT NULL,
	"score" bigint NOT NULL,
	CONSTRAINT "leaderboard_board_member_pk" PRIMARY KEY("board","member")
);
--> statement-breakpoint
CREATE INDEX "jobs_claimable" ON "platform"."jobs" USING btree ("queue","id") WHERE "platform"."jobs"."state" <> 'failed';--> statement-breakpoint
CREATE INDEX "leaderboard_rank" ON "platform"."leaderboard" USING btree ("board","score" DESC NULLS LAST,"member" DESC NULLS LAST);