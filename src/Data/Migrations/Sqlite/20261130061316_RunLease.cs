using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pipeline.Data.Migrations.Sqlite;

/// <inheritdoc />
public partial class RunLease : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<long>(
            name: "lease_expires_at",
            table: "runs",
            type: "INTEGER",
            nullable: true);

        migrationBuilder.AddColumn<string>(
            name: "lease_owner",
            table: "runs",
            type: "TEXT",
            maxLength: 200,
            nullable: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(
            name: "lease_expires_at",
            table: "runs");

        migrationBuilder.DropColumn(
            name: "lease_owner",
            table: "runs");
    }
}
