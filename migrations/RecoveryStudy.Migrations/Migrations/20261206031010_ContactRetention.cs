using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ContactRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "contact_retention_months",
                table: "studies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "contacts_erased_at",
                table: "studies",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "retention_warned_at",
                table: "studies",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_study_contact_retention_months",
                table: "studies",
                sql: "contact_retention_months IS NULL OR contact_retention_months >= 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_study_contact_retention_months",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "contact_retention_months",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "contacts_erased_at",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "retention_warned_at",
                table: "studies");
        }
    }
}
