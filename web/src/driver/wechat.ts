/** inWeChat tells whether the page runs in WeChat's built-in browser. */
export function inWeChat(userAgent: string): boolean {
  return /MicroMessenger/i.test(userAgent)
}

/**
 * wechatAuthorizeUrl is WeChat's OAuth page that sends the user back to
 * redirectUri with ?code=… (silent snsapi_base scope: only the openid).
 */
export function wechatAuthorizeUrl(appId: string, redirectUri: string): string {
  const q = new URLSearchParams({
    appid: appId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'snsapi_base',
  })
  return `https://open.weixin.qq.com/connect/oauth2/authorize?${q.toString()}#wechat_redirect`
}
