using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pipeline.Data.Migrations.Sqlite;

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
                id = table.Column<Guid>(type: "TEXT", nullable: false),
                name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                config_json = table.Column<string>(type: "TEXT", nullable: false),
                seed = table.Column<long>(type: "INTEGER", nullable: false),
                created_at = table.Column<long>(type: "INTEGER", nullable: false),
                finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                error = table.Column<string>(type: "TEXT", nullable: true),
                groups_expected = table.Column<int>(type: "INTEGER", nullable: false),
                duplicates_ignored = table.Column<long>(type: "INTEGER", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_runs", x => x.id);
            });

        migrationBuilder.CreateTable(
            name: "evaluations",
            columns: table => new
            {
                id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                policy_version = table.Column<int>(type: "INTEGER", nullable: false),
                split = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                accuracy = table.Column<double>(type: "REAL", nullable: false),
                format_rate = table.Column<double>(type: "REAL", nullable: false),
                pass_at_k = table.Column<double>(type: "REAL", nullable: false),
                k = table.Column<int>(type: "INTEGER", nullable: false),
                created_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                step = table.Column<int>(type: "INTEGER", nullable: false),
                value = table.Column<double>(type: "REAL", nullable: false),
                recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                version = table.Column<int>(type: "INTEGER", nullable: false),
                checkpoint_uri = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                format = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                created_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                batch_id = table.Column<int>(type: "INTEGER", nullable: false),
                prompt_id = table.Column<int>(type: "INTEGER", nullable: false),
                policy_version = table.Column<int>(type: "INTEGER", nullable: false),
                prompt_text = table.Column<string>(type: "TEXT", nullable: false),
                task = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                reference = table.Column<string>(type: "TEXT", nullable: false),
                trained_on = table.Column<bool>(type: "INTEGER", nullable: false),
                stale = table.Column<bool>(type: "INTEGER", nullable: false),
                received_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                scored_group_id = table.Column<long>(type: "INTEGER", nullable: false),
                index = table.Column<int>(type: "INTEGER", nullable: false),
                text = table.Column<string>(type: "TEXT", nullable: false),
                token_ids = table.Column<byte[]>(type: "BLOB", nullable: false),
                log_probs = table.Column<byte[]>(type: "BLOB", nullable: false),
                finish_reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                reward = table.Column<double>(type: "REAL", nullable: false),
                components_json = table.Column<string>(type: "TEXT", nullable: false),
                verdict = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
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
