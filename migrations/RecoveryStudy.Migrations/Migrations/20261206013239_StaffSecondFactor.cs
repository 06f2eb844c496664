using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class StaffSecondFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_staff_session_end_reason",
                table: "staff_sessions");

            migrationBuilder.AddColumn<DateTime>(
                name: "totp_confirmed_at",
                table: "staff_users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "totp_last_step",
                table: "staff_users",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "totp_secret",
                table: "staff_users",
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "staff_recovery_codes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    staff_user_id = table.Column<int>(type: "integer", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_recovery_codes", x => x.id);
                    table.CheckConstraint("ck_staff_recovery_code_hash_length", "length(hash) = 32");
                    table.ForeignKey(
                        name: "fk_staff_recovery_codes_staff_users_staff_user_id",
                        column: x => x.staff_user_id,
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_staff_user_totp_confirmed",
                table: "staff_users",
                sql: "totp_confirmed_at IS NULL OR totp_secret IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_staff_session_end_reason",
                table: "staff_sessions",
                sql: "end_reason IN ('signout', 'password_change', 'password_reset', 'disabled', 'role_change', 'expired', 'second_factor_reset')");

            migrationBuilder.CreateIndex(
                name: "ix_staff_recovery_codes_staff_user_id_hash",
                table: "staff_recovery_codes",
                columns: new[] { "staff_user_id", "hash" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "staff_recovery_codes");

            migrationBuilder.DropCheckConstraint(
                name: "ck_staff_user_totp_confirmed",
                table: "staff_users");

            migrationBuilder.DropCheckConstraint(
                name: "ck_staff_session_end_reason",
                table: "staff_sessions");

            migrationBuilder.DropColumn(
                name: "totp_confirmed_at",
                table: "staff_users");

            migrationBuilder.DropColumn(
                name: "totp_last_step",
                table: "staff_users");

            migrationBuilder.DropColumn(
                name: "totp_secret",
                table: "staff_users");

            migrationBuilder.AddCheckConstraint(
                name: "ck_staff_session_end_reason",
                table: "staff_sessions",
                sql: "end_reason IN ('signout', 'password_change', 'password_reset', 'disabled', 'role_change', 'expired')");
        }
    }
}
