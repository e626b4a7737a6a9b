using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Pipeline.Data.Migrations.Postgres;

/// <inheritdoc />
public partial class Initial : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "runs",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                config_json = table.Column<string>(type: "text", nullable: false),
                seed = table.Column<long>(type: "bigint", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                error = table.Column<string>(type: "text", nullable: true),
                groups_expected = table.Column<int>(type: "integer", nullable: false),
                duplicates_ignored = table.Column<long>(type: "bigint", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_runs", x => x.id);
            });

        migrationBuilder.CreateTable(
            name: "evaluations",
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                run_id = table.Column<Guid>(type: "uuid", nullable: false),
                policy_version = table.Column<int>(type: "integer", nullable: false),
                split = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                accuracy = table.Column<double>(type: "double precision", nullable: false),
                format_rate = table.Column<double>(type: "double precision", nullable: false),
                pass_at_k = table.Column<double>(type: "double precision", nullable: false),
                k = table.Column<int>(type: "integer", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_evaluations", x => x.id);
                table.ForeignKey(
                    name: "fk_evaluations_runs_run_id",
                    column: x => x.run_id,
                    principalTable: "runs",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "metrics",
            columns: table => new
            {
                run_id = table.Column<Guid>(type: "uuid", nullable: false),
                name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                step = table.Column<int>(type: "integer", nullable: false),
                value = table.Column<double>(type: "double precision", nullable: false),
                recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_metrics", x => new { x.run_id, x.name, x.step });
                table.ForeignKey(
                    name: "fk_metrics_runs_run_id",
                    column: x => x.run_id,
                    principalTable: "runs",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "policy_versions",
            columns: table => new
            {
                run_id = table.Column<Guid>(type: "uuid", nullable: false),
                version = table.Column<int>(type: "integer", nullable: false),
                checkpoint_uri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                format = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_policy_versions", x => new { x.run_id, x.version });
                table.ForeignKey(
                    name: "fk_policy_versions_runs_run_id",
                    column: x => x.run_id,
                    principalTable: "runs",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "scored_groups",
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                run_id = table.Column<Guid>(type: "uuid", nullable: false),
                batch_id = table.Column<int>(type: "integer", nullable: false),
                prompt_id = table.Column<int>(type: "integer", nullable: false),
                policy_version = table.Column<int>(type: "integer", nullable: false),
                prompt_text = table.Column<string>(type: "text", nullable: false),
                task = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                reference = table.Column<string>(type: "text", nullable: false),
                trained_on = table.Column<bool>(type: "boolean", nullable: false),
                stale = table.Column<bool>(type: "boolean", nullable: false),
                received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_scored_groups", x => x.id);
                table.ForeignKey(
                    name: "fk_scored_groups_runs_run_id",
                    column: x => x.run_id,
                    principalTable: "runs",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "scored_completions",
            columns: table => new
            {
                scored_group_id = table.Column<long>(type: "bigint", nullable: false),
                index = table.Column<int>(type: "integer", nullable: false),
                text = table.Column<string>(type: "text", nullable: false),
                token_ids = table.Column<byte[]>(type: "bytea", nullable: false),
                log_probs = table.Column<byte[]>(type: "bytea", nullable: false),
                finish_reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                reward = table.Column<double>(type: "double precision", nullable: false),
                components_json = table.Column<string>(type: "text", nullable: false),
                verdict = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_scored_completions", x => new { x.scored_group_id, x.index });
                table.ForeignKey(
                    name: "fk_scored_completions_scored_groups_scored_group_id",
                    column: x => x.scored_group_id,
                    principalTable: "scored_groups",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "ix_evaluations_run_id_policy_version",
            table: "evaluations",
            columns: new[] { "run_id", "policy_version" });

        migrationBuilder.CreateIndex(
            name: "ix_runs_created_at",
            table: "runs",
            column: "created_at");

        migrationBuilder.CreateIndex(
            name: "ux_scored_groups_run_batch_prompt",
            table: "scored_groups",
            columns: new[] { "run_id", "batch_id", "prompt_id" },
            unique: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(
            name: "evaluations");

        migrationBuilder.DropTable(
            name: "metrics");

        migrationBuilder.DropTable(
            name: "policy_versions");

        migrationBuilder.DropTable(
            name: "scored_completions");

        migrationBuilder.DropTable(
            name: "scored_groups");

        migrationBuilder.DropTable(
            name: "runs");
    }
}
