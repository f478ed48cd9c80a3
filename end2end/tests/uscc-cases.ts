// One bad code per USCC error kind, plus a valid one, shared by the checker tests.
export const cases = [
  { code: "91110000802100433B", text: "代码有效", kind: "OK" },
  { code: "9111000080210043", text: "当前为16位", kind: "USCC_LENGTH" },
  { code: "91110000802I00433B", text: "第12位的“I”", kind: "USCC_CHARSET" },
  { code: "91110000802100433C", text: "第18位校验码错误", kind: "USCC_CHECK_CHAR" },
  { code: "91110000802100434B", text: "组织机构代码的校验码错误", kind: "USCC_ORG_CODE_CHECK" },
];
