using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Pipeline.Data.Migrations.Postgres;

/// <inheritdoc />
public partial class TrainingRecord : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(
            name: "consumed_at_step",
            table: "scored_groups",
            type: "integer",
            nullable: true);

        migrationBuilder.AddColumn<string>(
            name: "base_policy_sha256",
            table: "runs",
            type: "text",
            nullable: true);

        migrationBuilder.AddColumn<string>(
            name: "code_version",
            table: "runs",
            type: "text",
            nullable: true);

        migrationBuilder.AddColumn<Guid>(
            name: "source_run_id",
            table: "runs",
            type: "uuid",
            nullable: true);

        migrationBuilder.AddColumn<long>(
            name: "source_scoring_revision_id",
            table: "runs",
            type: "bigint",
            nullable: true);

        migrationBuilder.CreateTable(
            name: "scoring_revisions",
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                run_id = table.Column<Guid>(type: "uuid", nullable: false),
                code_version = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                completions = table.Column<int>(type: "integer", nullable: false),
                changed = table.Column<int>(type: "integer", nullable: false),
                not_rescored = table.Column<int>(type: "integer", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_scoring_revisions", x => x.id);
                table.ForeignKey(
                    name: "fk_scoring_revisions_runs_run_id",
                    column: x => x.run_id,
                    principalTable: "runs",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "training_steps",
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                run_id = table.Column<Guid>(type: "uuid", nullable: false),
                step = table.Column<int>(type: "integer", nullable: false),
                batch_id = table.Column<int>(type: "integer", nullable: false),
                behaviour_version = table.Column<int>(type: "integer", nullable: false),
                policy_version = table.Column<int>(type: "integer", nullable: true),
                checkpoint_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                groups_json = table.Column<string>(type: "text", nullable: false),
                dropped_json = table.Column<string>(type: "text", nullable: false),
                learning_rate = table.Column<double>(type: "double precision", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_training_steps", x => x.id);
                table.ForeignKey(
                    name: "fk_training_steps_runs_run_id",
                    column: x => x.run_id,
                    principalTable: "runs",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "rescored_completions",
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                scoring_revision_id = table.Column<long>(type: "bigint", nullable: false),
                batch_id = table.Column<int>(type: "integer", nullable: false),
                prompt_id = table.Column<int>(type: "integer", nullable: false),
                index = table.Column<int>(type: "integer", nullable: false),
                reward = table.Column<double>(type: "double precision", nullable: false),
                components_json = table.Column<string>(type: "text", nullable: false),
                verdict = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_rescored_completions", x => x.id);
                table.ForeignKey(
                    name: "fk_rescored_completions_scoring_revisions_scoring_revision_id",
                    column: x => x.scoring_revision_id,
                    principalTable: "scoring_revisions",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "ix_rescored_completions_scoring_revision_id_batch_id_prompt_id",
            table: "rescored_completions",
            columns: new[] { "scoring_revision_id", "batch_id", "prompt_id", "index" },
            unique: true);

        migrationBuilder.CreateIndex(
            name: "ix_scoring_revisions_run_id",
            table: "scoring_revisions",
            column: "run_id");

        migrationBuilder.CreateIndex(
            name: "ux_training_steps_run_step",
            table: "training_steps",
            columns: new[] { "run_id", "step" },
            unique: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(
            name: "rescored_completions");

        migrationBuilder.DropTable(
            name: "training_steps");

        migrationBuilder.DropTable(
            name: "scoring_revisions");

        migrationBuilder.DropColumn(
            name: "consumed_at_step",
            table: "scored_groups");

        migrationBuilder.DropColumn(
            name: "base_policy_sha256",
            table: "runs");

        migrationBuilder.DropColumn(
            name: "code_version",
            table: "runs");

        migrationBuilder.DropColumn(
            name: "source_run_id",
            table: "runs");

        migrationBuilder.DropColumn(
            name: "source_scoring_revision_id",
            table: "runs");
    }
}
