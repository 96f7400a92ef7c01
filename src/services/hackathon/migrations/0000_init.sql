CREATE SCHEMA "hackathon";
--> statement-breakpoint
CREATE TABLE "hackathon"."activities" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	CONSTRAINT "activities_name_key" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "hackathon"."boba_orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"participant_id" integer NOT NULL,
	"size" text NOT NULL,
	"flavour" text NOT NULL,
	"sweetness" text NOT NULL,
	"ice" text NOT NULL,
	"toppings" text NOT NULL,
	"status" text DEFAULT 'Placed' NOT NULL,
	"tokens_spent" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "boba_orders_status_valid" CHECK ("hackathon"."boba_orders"."status" IN ('Placed', 'In Progress', 'Out for Delivery', 'Delivered', 'Cancelled')),
	CONSTRAINT "boba_orders_tokens_spent_non_negative" CHECK ("hackathon"."boba_orders"."tokens_spent" >= 0)
);
--> statement-breakpoint
CREATE TABLE "hackathon"."checkins" (
	"participant_id" integer PRIMARY KEY NOT NULL,
	"volunteer_id" integer NOT NULL,
	"checked_in_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hackathon"."hardware_loans" (
	"id" serial PRIMARY KEY NOT NULL,
	"item" text NOT NULL,
	"participant_id" integer NOT NULL,
	"signed_out_at" timestamp with time zone NOT NULL,
	"returned_at" timestamp with time zone,
	CONSTRAINT "hardware_loans_returned_after_signout" CHECK ("hackathon"."hardware_loans"."returned_at" IS NULL OR "hackathon"."hardware_loans"."returned_at" >= "hackathon"."hardware_loans"."signed_out_at")
);
--> statement-breakpoint
CREATE TABLE "hackathon"."participant_skills" (
	"participant_id" integer NOT NULL,
	"skill_id" integer NOT NULL,
	"rating" smallint NOT NULL,
	CONSTRAINT "participant_skills_pkey" PRIMARY KEY("participant_id","skill_id"),
	CONSTRAINT "participant_skills_rating_range" CHECK ("hackathon"."participant_skills"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "hackathon"."participants" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"company" text NOT NULL,
	"email" text NOT NULL,
	"phone" text NOT NULL,
	"bbt_tokens" integer DEFAULT 0 NOT NULL,
	"last_exchange_at" timestamp with time zone,
	CONSTRAINT "participants_bbt_tokens_non_negative" CHECK ("hackathon"."participants"."bbt_tokens" >= 0)
);
--> statement-breakpoint
CREATE TABLE "hackathon"."scans" (
	"id" serial PRIMARY KEY NOT NULL,
	"participant_id" integer NOT NULL,
	"activity_id" integer NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hackathon"."skills" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "skills_name_key" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "hackathon"."boba_orders" ADD CONSTRAINT "boba_orders_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "hackathon"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hackathon"."checkins" ADD CONSTRAINT "checkins_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "hackathon"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hackathon"."hardware_loans" ADD CONSTRAINT "hardware_loans_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "hackathon"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hackathon"."participant_skills" ADD CONSTRAINT "participant_skills_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "hackathon"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hackathon"."participant_skills" ADD CONSTRAINT "participant_skills_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "hackathon"."skills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hackathon"."scans" ADD CONSTRAINT "scans_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "hackathon"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hackathon"."scans" ADD CONSTRAINT "scans_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "hackathon"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "boba_orders_participant_idx" ON "hackathon"."boba_orders" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "boba_orders_status_idx" ON "hackathon"."boba_orders" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "hardware_loans_item_out_key" ON "hackathon"."hardware_loans" USING btree (lower("item")) WHERE "hackathon"."hardware_loans"."returned_at" IS NULL;--> statement-breakpoint
CREATE INDEX "participant_skills_skill_idx" ON "hackathon"."participant_skills" USING btree ("skill_id");--> statement-breakpoint
CREATE UNIQUE INDEX "participants_email_lower_key" ON "hackathon"."participants" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "scans_participant_idx" ON "hackathon"."scans" USING btree ("participant_id","scanned_at");--> statement-breakpoint
CREATE INDEX "scans_activity_idx" ON "hackathon"."scans" USING btree ("activity_id");