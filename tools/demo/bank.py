"""Branches and staff of the demo bank, sized from the number of customers.

Three branches and twelve RMs at the default 6,000 customers; at large sizes about one branch
per 2,000 customers and one RM per 500. Staff ids: `rm01`.., `bh01`.. (one head per branch),
`ct01`.. (two counter staff per branch), zero-padded to at least two digits so `rm01` exists
at every size. The first branch's first staff have fixed names, so demos and docs can rely on
them; everybody else gets a generated name. Each staff member has a WeCom user id made from
the pinyin of their name, unique across the bank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.demo.names import sample_names, unique_userids

CITY = "杭州"
DISTRICTS = (
    "城东",
    "高新区",
    "滨江",
    "城西",
    "城南",
    "城北",
    "钱江新城",
    "西湖",
    "湖滨",
    "运河",
    "江干",
    "下沙",
    "萧山",
    "余杭",
    "临平",
    "良渚",
    "未来科技城",
    "之江",
    "武林",
    "文三路",
    "庆春路",
    "解放路",
    "中河",
    "凤起路",
    "延安路",
    "体育场路",
    "火车东站",
    "奥体中心",
    "九堡",
    "三墩",
)
OTHER_CITIES = (
    "宁波",
    "温州",
    "绍兴",
    "嘉兴",
    "湖州",
    "金华",
    "台州",
    "衢州",
    "舟山",
    "丽水",
    "南京",
    "苏州",
    "无锡",
    "上海",
    "合肥",
    "南昌",
    "福州",
    "武汉",
    "长沙",
    "成都",
)

# Fixed staff of branch 1 (the demo's cast); WeCom ids follow from the names.
FIXED_NAMES = {
    "rm01": "李明",
    "rm02": "张丽",
    "rm03": "陈晓东",
    "rm04": "周婷",
    "bh01": "王建华",
    "ct01": "赵敏",
    "ct02": "孙磊",
}

RMS_PER_BRANCH_MIN = 4
CUSTOMERS_PER_BRANCH = 2_000
CUSTOMERS_PER_RM = 500


@dataclass(frozen=True)
class BankShape:
    branches: int
    rms_per_branch: int

    @classmethod
    def for_customers(cls, customers: int) -> BankShape:
        branches = max(3, round(customers / CUSTOMERS_PER_BRANCH))
        rms = max(RMS_PER_BRANCH_MIN, round(customers / CUSTOMERS_PER_RM / branches))
        return cls(branches, rms)

    @property
    def rms(self) -> int:
        return self.branches * self.rms_per_branch

    def rm_id(self, index: int) -> str:
        """Staff id of RM number `index` (0-based); RMs of branch b are b*rms_per_branch onwards."""
        return f"rm{index + 1:02d}"

    def rm_branch(self, index: int) -> int:
        return index // self.rms_per_branch

    def rm_ids(self) -> np.ndarray:
        return np.array([self.rm_id(i) for i in range(self.rms)], dtype=object)


def branch_rows(shape: BankShape) -> list[tuple]:
    """(id, code, name, city): branch ids are 1-based, branch 0 in code is id 1."""
    rows = []
    for b in range(shape.branches):
        district = DISTRICTS[b % len(DISTRICTS)]
        round_ = b // len(DISTRICTS)
        if round_ == 0:
            city, name = CITY, f"{district}支行"
        else:
            city = OTHER_CITIES[(round_ - 1) % len(OTHER_CITIES)]
            extra = "" if round_ <= len(OTHER_CITIES) else f"第{(round_ - 1) // len(OTHER_CITIES) + 1}"
            name = f"{city}{district}{extra}支行"
        rows.append((b + 1, f"BR{b + 1:03d}", name, city))
    return rows


def staff_rows(shape: BankShape, rng: np.random.Generator) -> list[tuple]:
    """(id, name, role, branch_id, wecom_userid, wechat_openid, active) for every staff member."""
    members: list[tuple[str, str, int]] = []  # (id, role, branch index)
    for b in range(shape.branches):
        members.append((f"bh{b + 1:02d}", "branch_head", b))
        for i in range(shape.rms_per_branch):
            members.append((shape.rm_id(b * shape.rms_per_branch + i), "rm", b))
        for k in (1, 2):
            members.append((f"ct{2 * b + k:02d}", "counter", b))
    n = len(members)
    female = rng.random(n) < 0.5
    birth_years = rng.integers(1968, 2000, n)
    names = sample_names(rng, female, birth_years).tolist()
    for i, (staff_id, _, _) in enumerate(members):
        names[i] = FIXED_NAMES.get(staff_id, names[i])
    # Fixed names first so their WeCom ids never get a numeric suffix.
    order = sorted(range(n), key=lambda i: (members[i][0] not in FIXED_NAMES, i))
    userids = dict(zip(order, unique_userids([names[i] for i in order])))
    return [(sid, names[i], role, b + 1, userids[i], None, True) for i, (sid, role, b) in enumerate(members)]
