"""Administrator commands for channel identities.

    python -m bot.channels.admin bind-openid STAFF_ID OPENID

binds a WeChat official-account OpenID to a staff member, so their messages to the account are
answered as that staff member. (WeCom userids come from the staff import, not from here.)
"""

from __future__ import annotations

import argparse
import re
import sys

from sqlalchemy.exc import IntegrityError

from bot.store.db import session_scope
from bot.store.staff_directory import bind_wechat_openid

# OpenIDs are 28 characters in practice; accept the documented alphabet up to the column width.
OPENID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.channels.admin", description="Channel identity administration")
    commands = parser.add_subparsers(dest="command", required=True)
    bind = commands.add_parser("bind-openid", help="bind a WeChat official-account OpenID to a staff member")
    bind.add_argument("staff_id")
    bind.add_argument("openid")
    return parser


def bind_openid(staff_id: str, openid: str) -> tuple[int, str]:
    """(exit code, message for the administrator)."""
    if not OPENID.match(openid):
        return 2, f"OpenID 格式不对：{openid}"
    try:
        with session_scope() as session:
            bind_wechat_openid(session, staff_id, openid)
    except LookupError:
        return 1, f"找不到员工 {staff_id}"
    except IntegrityError:
        return 1, f"这个 OpenID 已绑定给其他员工：{openid}"
    return 0, f"已绑定：员工 {staff_id} ↔ OpenID {openid}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "bind-openid":
        code, message = bind_openid(args.staff_id, args.openid)
        print(message, file=sys.stderr if code else sys.stdout)
        return code
    return 2


if __name__ == "__main__":
    sys.exit(main())
