using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class StaffOidcIdentityUse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_staff_session_end_reason",
                table: "staff_sessions");

            migrationBuilder.AddColumn<DateTime>(
                name: "oidc_last_used_at",
                table: "staff_users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "oidc_linked_at",
                table: "staff_users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "oidc_unlinked_at",
                table: "staff_users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_staff_session_end_reason",
                table: "staff_sessions",
                sql: "end_reason IN ('signout', 'password_change', 'password_reset', 'disabled', 'role_change', 'expired', 'second_factor_reset', 'identity_unlink')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_staff_session_end_reason",
                table: "staff_sessions");

            migrationBuilder.DropColumn(
                name: "oidc_last_used_at",
                table: "staff_users");

            migrationBuilder.DropColumn(
                name: "oidc_linked_at",
                table: "staff_users");

            migrationBuilder.DropColumn(
                name: "oidc_unlinked_at",
                table: "staff_users");

            migrationBuilder.AddCheckConstraint(
                name: "ck_staff_session_end_reason",
                table: "staff_sessions",
                sql: "end_reason IN ('signout', 'password_change', 'password_reset', 'disabled', 'role_change', 'expired', 'second_factor_reset')");
        }
    }
}
