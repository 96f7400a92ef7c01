CREATE SCHEMA "pokemon";
--> statement-breakpoint
CREATE TABLE "pokemon"."cache_generations" (
	"name" text PRIMARY KEY NOT NULL,
	"generation" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pokemon"."ownership" (
	"seq" bigserial NOT NULL,
	"pokemon_id" text NOT NULL,
	"trainer_id" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	CONSTRAINT "ownership_pokemon_id_seq_pk" PRIMARY KEY("pokemon_id","seq")
);
--> statement-breakpoint
CREATE TABLE "pokemon"."pokemon" (
	"id" text PRIMARY KEY NOT NULL,
	"nickname" text NOT NULL,
	"species" text NOT NULL,
	"level" integer NOT NULL,
	"owner" text NOT NULL,
	"date_of_ownership" date NOT NULL,
	CONSTRAINT "pokemon_level_range" CHECK ("pokemon"."pokemon"."level" between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "pokemon"."trades" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trainer_a" text NOT NULL,
	"trainer_b" text NOT NULL,
	"pokemon_a" text[] NOT NULL,
	"pokemon_b" text[] NOT NULL,
	"traded_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pokemon"."trainers" (
	"id" text PRIMARY KEY NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"date_of_birth" date NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pokemon"."ownership" ADD CONSTRAINT "ownership_pokemon_id_pokemon_id_fk" FOREIGN KEY ("pokemon_id") REFERENCES "pokemon"."pokemon"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pokemon"."pokemon" ADD CONSTRAINT "pokemon_owner_trainers_id_fk" FOREIGN KEY ("owner") REFERENCES "pokemon"."trainers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ownership_one_open" ON "pokemon"."ownership" USING btree ("pokemon_id") WHERE "pokemon"."ownership"."to_date" is null;--> statement-breakpoint
CREATE INDEX "pokemon_owner" ON "pokemon"."pokemon" USING btree ("owner","id");--> statement-breakpoint
CREATE INDEX "trades_trainer_a" ON "pokemon"."trades" USING btree ("trainer_a","id");--> statement-breakpoint
CREATE INDEX "trades_trainer_b" ON "pokemon"."trades" USING btree ("trainer_b","id");