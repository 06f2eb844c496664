using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ParticipantErasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_participant_status",
                table: "participants");

            migrationBuilder.AddColumn<DateTime>(
                name: "erased_at",
                table: "participants",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_participant_status",
                table: "participants",
                sql: "status IN ('active', 'withdrawn', 'erased')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_participant_status",
                table: "participants");

            migrationBuilder.DropColumn(
                name: "erased_at",
                table: "participants");

            migrationBuilder.AddCheckConstraint(
                name: "ck_participant_status",
                table: "participants",
                sql: "status IN ('active', 'withdrawn')");
        }
    }
}
