// The Lua scripts that make every write atomic (BRIEF §2): check the precondition, take the next
// revision, write the object with resourceVersion = that revision, update the indexes and append
// the change to the stream, all in one script, so no object can exist without its event.
//
// Objects are stored as JSON whose first metadata field is resourceVersion (see codec.ts), so a
// script splices the revision in (`head .. rev .. tail`) and reads it back with one string.match,
// without decoding JSON in Lua.

/** Returns {1, rev} on success, {0} if the key exists. */
export const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
local rev = redis.call('INCR', KEYS[4])
local obj = ARGV[1] .. rev .. ARGV[2]
redis.call('SET', KEYS[1], obj)
redis.call('ZADD', KEYS[2], 0, ARGV[3])
if KEYS[3] ~= KEYS[2] then redis.call('ZADD', KEYS[3], 0, ARGV[4]) end
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[6], rev .. '-0', 't', 'ADDED', 'r', ARGV[5], 'o', obj)
return {1, rev}
`;

/**
 * Returns {1, rev} on success, {0} if the key is absent, {-1, currentRv} if the stored
 * resourceVersion is not ARGV[3]. The previous object travels in the event (field p) so watchers
 * with selectors can tell an object leaving their selection.
 */
export const UPDATE = `
local cur = redis.call('GET', KEYS[1])
if not cur then return {0} end
local curRv = string.match(cur, '"resourceVersion":"(%d+)"')
if curRv ~= ARGV[3] then return {-1, curRv} end
local rev = redis.call('INCR', KEYS[4])
local obj = ARGV[1] .. rev .. ARGV[2]
redis.call('SET', KEYS[1], obj)
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[6], rev .. '-0', 't', 'MODIFIED', 'r', ARGV[5], 'o', obj, 'p', cur)
return {1, rev}
`;

/** Same results as UPDATE. The event carries the object as it was, at the deletion's revision. */
export const DELETE = `
local cur = redis.call('GET', KEYS[1])
if not cur then return {0} end
local curRv = string.match(cur, '"resourceVersion":"(%d+)"')
if curRv ~= ARGV[3] then return {-1, curRv} end
local rev = redis.call('INCR', KEYS[4])
local obj = ARGV[1] .. rev .. ARGV[2]
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[4])
if KEYS[3] ~= KEYS[2] then redis.call('ZREM', KEYS[3], ARGV[7]) end
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[6], rev .. '-0', 't', 'DELETED', 'r', ARGV[5], 'o', obj)
return {1, rev}
`;

/**
 * Lists one index from a start member (exclusive) with an optional limit, returning the revision
 * it read at and the objects: {rev, {json...}, nextMember or false}. MGET runs in batches because
 * Lua's unpack has a bounded stack.
 */
export const LIST = `
local rev = redis.call('GET', KEYS[2]) or '0'
local start = ARGV[1]
local limit = tonumber(ARGV[2])
local members
if limit > 0 then
  members = redis.call('ZRANGEBYLEX', KEYS[1], start, '+', 'LIMIT', 0, limit + 1)
else
  members = redis.call('ZRANGEBYLEX', KEYS[1], start, '+')
end
local more = false
if limit > 0 and #members > limit then
  members[#members] = nil
  more = members[#members]
end
local out = {}
local batch = {}
for i, m in ipairs(members) do
  batch[#batch + 1] = ARGV[3] .. m
  if #batch == 500 or i == #members then
    local vals = redis.call('MGET', unpack(batch))
    for _, v in ipairs(vals) do if v then out[#out + 1] = v end end
    batch = {}
  end
end
return {rev, out, more}
`;
