using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class PlanAgainAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "plan_again_at",
                table: "participants",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_participant_plan_again_at",
                table: "participants",
                column: "plan_again_at",
                filter: "plan_again_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_participant_plan_again_at",
                table: "participants");

            migrationBuilder.DropColumn(
                name: "plan_again_at",
                table: "participants");
        }
    }
}
