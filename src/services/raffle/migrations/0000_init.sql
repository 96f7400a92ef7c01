CREATE SCHEMA "raffle";
--> statement-breakpoint
CREATE TABLE "raffle"."claims" (
	"raffle_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"client_ip" text NOT NULL,
	"code_salt" "bytea" NOT NULL,
	"code_hash" "bytea" NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_raffle_id_seq_pk" PRIMARY KEY("raffle_id","seq"),
	CONSTRAINT "claims_one_per_client" UNIQUE("raffle_id","client_ip"),
	CONSTRAINT "claims_seq_non_negative" CHECK ("raffle"."claims"."seq" >= 0)
);
--> statement-breakpoint
CREATE TABLE "raffle"."raffles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"total_tickets" integer NOT NULL,
	"claimed" integer DEFAULT 0 NOT NULL,
	"prizes" jsonb NOT NULL,
	"perm_key" "bytea" NOT NULL,
	"winners_drawn" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"drawn_at" timestamp with time zone,
	CONSTRAINT "raffles_name_not_empty" CHECK (length(btrim("raffle"."raffles"."name")) > 0),
	CONSTRAINT "raffles_total_positive" CHECK ("raffle"."raffles"."total_tickets" > 0),
	CONSTRAINT "raffles_claimed_in_range" CHECK ("raffle"."raffles"."claimed" >= 0 AND "raffle"."raffles"."claimed" <= "raffle"."raffles"."total_tickets"),
	CONSTRAINT "raffles_drawn_when_full" CHECK (NOT "raffle"."raffles"."winners_drawn" OR "raffle"."raffles"."claimed" = "raffle"."raffles"."total_tickets"),
	CONSTRAINT "raffles_perm_key_length" CHECK (octet_length("raffle"."raffles"."perm_key") = 32)
);
--> statement-breakpoint
CREATE TABLE "raffle"."winner_chunks" (
	"raffle_id" uuid NOT NULL,
	"first_ticket" integer NOT NULL,
	"tickets" integer[] NOT NULL,
	"prize_indexes" integer[] NOT NULL,
	CONSTRAINT "winner_chunks_raffle_id_first_ticket_pk" PRIMARY KEY("raffle_id","first_ticket"),
	CONSTRAINT "winner_chunks_first_positive" CHECK ("raffle"."winner_chunks"."first_ticket" > 0),
	CONSTRAINT "winner_chunks_aligned" CHECK (cardinality("raffle"."winner_chunks"."tickets") = cardinality("raffle"."winner_chunks"."prize_indexes") AND "raffle"."winner_chunks"."tickets"[1] = "raffle"."winner_chunks"."first_ticket")
);
--> statement-breakpoint
ALTER TABLE "raffle"."claims" ADD CONSTRAINT "claims_raffle_id_raffles_id_fk" FOREIGN KEY ("raffle_id") REFERENCES "raffle"."raffles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "raffle"."winner_chunks" ADD CONSTRAINT "winner_chunks_raffle_id_raffles_id_fk" FOREIGN KEY ("raffle_id") REFERENCES "raffle"."raffles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "raffles_newest_idx" ON "raffle"."raffles" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);