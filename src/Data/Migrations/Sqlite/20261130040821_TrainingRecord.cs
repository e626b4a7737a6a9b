using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pipeline.Data.Migrations.Sqlite;

/// <inheritdoc />
public partial class TrainingRecord : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(
            name: "consumed_at_step",
            table: "scored_groups",
            type: "INTEGER",
            nullable: true);

        migrationBuilder.AddColumn<string>(
            name: "base_policy_sha256",
            table: "runs",
            type: "TEXT",
            nullable: true);

        migrationBuilder.AddColumn<string>(
            name: "code_version",
            table: "runs",
            type: "TEXT",
            nullable: true);

        migrationBuilder.AddColumn<Guid>(
            name: "source_run_id",
            table: "runs",
            type: "TEXT",
            nullable: true);

        migrationBuilder.AddColumn<long>(
            name: "source_scoring_revision_id",
            table: "runs",
            type: "INTEGER",
            nullable: true);

        migrationBuilder.CreateTable(
            name: "scoring_revisions",
            columns: table => new
            {
                id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                code_version = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                completions = table.Column<int>(type: "INTEGER", nullable: false),
                changed = table.Column<int>(type: "INTEGER", nullable: false),
                not_rescored = table.Column<int>(type: "INTEGER", nullable: false),
                created_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                step = table.Column<int>(type: "INTEGER", nullable: false),
                batch_id = table.Column<int>(type: "INTEGER", nullable: false),
                behaviour_version = table.Column<int>(type: "INTEGER", nullable: false),
                policy_version = table.Column<int>(type: "INTEGER", nullable: true),
                checkpoint_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                groups_json = table.Column<string>(type: "TEXT", nullable: false),
                dropped_json = table.Column<string>(type: "TEXT", nullable: false),
                learning_rate = table.Column<double>(type: "REAL", nullable: false),
                created_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                scoring_revision_id = table.Column<long>(type: "INTEGER", nullable: false),
                batch_id = table.Column<int>(type: "INTEGER", nullable: false),
                prompt_id = table.Column<int>(type: "INTEGER", nullable: false),
                index = table.Column<int>(type: "INTEGER", nullable: false),
                reward = table.Column<double>(type: "REAL", nullable: false),
                components_json = table.Column<string>(type: "TEXT", nullable: false),
                verdict = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
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
            name: "ix_rescored_completions_scoring_revision_id_batch_id_prompt_id_index",
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
